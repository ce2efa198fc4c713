//! The proxy variables as curl reads them (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, upper
//! or lower case), the proxy a request goes through, and `NO_PROXY` matching (names,
//! domains, addresses, CIDR blocks).

/// The proxy variables, read once per decision (tests give their own).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyEnv {
    /// (value, the variable it came from)
    pub https: Option<(String, &'static str)>,
    pub http: Option<(String, &'static str)>,
    pub no_proxy: Option<(String, &'static str)>,
}

impl ProxyEnv {
    /// Upper case first, then lower case, as reqwest and most tools read them.
    pub fn read(get: impl Fn(&str) -> Option<String>) -> ProxyEnv {
        let pick = |names: [&'static str; 2]| {
            names.into_iter().find_map(|n| {
                get(n)
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .map(|v| (v, n))
            })
        };
        ProxyEnv {
            https: pick(["HTTPS_PROXY", "https_proxy"]),
            http: pick(["HTTP_PROXY", "http_proxy"]),
            no_proxy: pick(["NO_PROXY", "no_proxy"]),
        }
    }

    pub fn from_process() -> ProxyEnv {
        ProxyEnv::read(|n| std::env::var(n).ok())
    }
}

/// The proxy a request goes through.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProxyInUse {
    /// Without credentials.
    pub url: String,
    pub from: String,
    pub authenticated: bool,
    /// `host:port` of the proxy.
    pub address: String,
}

/// curl's `NO_PROXY`: `*`, or names matching the host or a domain it is in (a leading dot
/// or not), or IP addresses and CIDR blocks.
pub fn bypasses(list: &str, host: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let ip: Option<std::net::IpAddr> = host.parse().ok();
    list.split(',')
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            if let (Some(ip), Some((net, bits))) = (ip, entry.split_once('/')) {
                return in_cidr(ip, net, bits);
            }
            let entry = entry.trim_start_matches('.');
            let entry = entry
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or(entry);
            // "host:port" entries name the host.
            let entry = match entry.rsplit_once(':') {
                Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !h.contains(':') => h,
                _ => entry,
            };
            host == entry || host.ends_with(&format!(".{entry}"))
        })
}

fn in_cidr(ip: std::net::IpAddr, net: &str, bits: &str) -> bool {
    let (Ok(net), Ok(bits)) = (net.parse::<std::net::IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (ip, net) {
        (std::net::IpAddr::V4(a), std::net::IpAddr::V4(b)) if bits <= 32 => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(b) & mask
        }
        (std::net::IpAddr::V6(a), std::net::IpAddr::V6(b)) if bits <= 128 => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}
