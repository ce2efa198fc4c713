//! Network settings as a collection, an environment or a request saves them: extra CA
//! certificates, a client certificate for mutual TLS, a proxy, name overrides (`--resolve`),
//! the HTTP version and the timeouts. A request's settings override its environment's, which
//! override its collection's, field by field; the CLI's curl-named flags override them all
//! (`http::client::ClientSettings` is the resolved form).
//!
//! Secrets stay out of the file: a proxy password and a key passphrase must be variable
//! references (`{{$env.PROXY_PASSWORD}}`), which the secret check enforces by their names.

use serde::{Deserialize, Serialize};

/// Which HTTP version to speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum HttpVersion {
    /// HTTP/2 when the server offers it over TLS (ALPN), else HTTP/1.1.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "http1.1")]
    Http1,
    /// HTTP/2 only (prior knowledge on plain HTTP).
    #[serde(rename = "http2")]
    Http2,
}

impl HttpVersion {
    pub fn as_str(&self) -> &'static str {
        match self {
            HttpVersion::Auto => "auto",
            HttpVersion::Http1 => "http1.1",
            HttpVersion::Http2 => "http2",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Network {
    /// A PEM file of CA certificates trusted in addition to the bundled and system roots
    /// (the CA of a proxy that re-signs TLS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Accept any server certificate. Every place it applies says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
    /// A PEM client certificate (chain) for mutual TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert: Option<String>,
    /// The certificate's PEM private key (PKCS#8, PKCS#1 or SEC1; encrypted PKCS#8 too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
    /// The passphrase of an encrypted key: a variable reference, never the passphrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key_passphrase: Option<String>,
    /// `http://host:port` (CONNECT for https), or `none` to ignore the proxy variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_username: Option<String>,
    /// A variable reference, never the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_password: Option<String>,
    /// Hosts reached directly, comma-separated as in `NO_PROXY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_proxy: Option<String>,
    /// `host:port:address` entries, as curl's `--resolve`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolve: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_version: Option<HttpVersion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_timeout_seconds: Option<f64>,
    /// The whole exchange, body included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<f64>,
}

impl Network {
    pub fn is_empty(&self) -> bool {
        self == &Network::default()
    }

    /// These settings with `over`'s set fields on top. `resolve` entries add up, the nearer
    /// level's first (curl uses the first entry for a host).
    pub fn overlay(&self, over: &Network) -> Network {
        fn pick<T: Clone>(base: &Option<T>, over: &Option<T>) -> Option<T> {
            over.clone().or_else(|| base.clone())
        }
        let mut resolve = over.resolve.clone();
        resolve.extend(self.resolve.iter().cloned());
        Network {
            ca_file: pick(&self.ca_file, &over.ca_file),
            insecure: pick(&self.insecure, &over.insecure),
            client_cert: pick(&self.client_cert, &over.client_cert),
            client_key: pick(&self.client_key, &over.client_key),
            client_key_passphrase: pick(&self.client_key_passphrase, &over.client_key_passphrase),
            proxy: pick(&self.proxy, &over.proxy),
            proxy_username: pick(&self.proxy_username, &over.proxy_username),
            proxy_password: pick(&self.proxy_password, &over.proxy_password),
            no_proxy: pick(&self.no_proxy, &over.no_proxy),
            resolve,
            http_version: pick(&self.http_version, &over.http_version),
            connect_timeout_seconds: pick(
                &self.connect_timeout_seconds,
                &over.connect_timeout_seconds,
            ),
            timeout_seconds: pick(&self.timeout_seconds, &over.timeout_seconds),
        }
    }

    /// Every text field through `f` (variable substitution), stopping at the first error.
    pub fn map_text(
        &self,
        mut f: impl FnMut(&str) -> Result<String, String>,
    ) -> Result<Network, String> {
        let mut one = |v: &Option<String>| -> Result<Option<String>, String> {
            v.as_deref().map(&mut f).transpose()
        };
        Ok(Network {
            ca_file: one(&self.ca_file)?,
            insecure: self.insecure,
            client_cert: one(&self.client_cert)?,
            client_key: one(&self.client_key)?,
            client_key_passphrase: one(&self.client_key_passphrase)?,
            proxy: one(&self.proxy)?,
            proxy_username: one(&self.proxy_username)?,
            proxy_password: one(&self.proxy_password)?,
            no_proxy: one(&self.no_proxy)?,
            resolve: self
                .resolve
                .iter()
                .map(|r| f(r))
                .collect::<Result<_, _>>()?,
            http_version: self.http_version,
            connect_timeout_seconds: self.connect_timeout_seconds,
            timeout_seconds: self.timeout_seconds,
        })
    }
}

/// One `--resolve host:port:address` entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResolveEntry {
    pub host: String,
    pub port: u16,
    pub addr: std::net::IpAddr,
}

impl std::str::FromStr for ResolveEntry {
    type Err = String;

    /// `host:port:addr`; an IPv6 address may be bracketed (`[::1]`), as curl takes it.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = |why: &str| format!("'{s}' is not host:port:address ({why})");
        let (host, rest) = s.split_once(':').ok_or_else(|| bad("no port"))?;
        let (port, addr) = rest.split_once(':').ok_or_else(|| bad("no address"))?;
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let port: u16 = port
            .parse()
            .map_err(|_| bad(&format!("'{port}' is not a port")))?;
        let addr = addr.trim_start_matches('[').trim_end_matches(']');
        let addr = addr
            .parse()
            .map_err(|_| bad(&format!("'{addr}' is not an IP address")))?;
        Ok(ResolveEntry {
            host: host.to_ascii_lowercase(),
            port,
            addr,
        })
    }
}

/// A request that is a browser's CORS preflight: `OPTIONS` with `Origin`,
/// `Access-Control-Request-Method` and `-Headers`, never signed (a browser never signs it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Preflight {
    /// The page's origin, `https://app.example.com`.
    pub origin: String,
    /// The method the page will use; default: the request's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The headers the page will send (names); default: the request's own headers that are
    /// not CORS-safelisted, plus the SigV4 headers when its auth signs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearer_levels_win_field_by_field() {
        let collection = Network {
            ca_file: Some("corp.pem".into()),
            proxy: Some("http://proxy:3128".into()),
            resolve: vec!["a:443:10.0.0.1".into()],
            timeout_seconds: Some(30.0),
            ..Network::default()
        };
        let request = Network {
            proxy: Some("none".into()),
            resolve: vec!["a:443:10.0.0.2".into()],
            http_version: Some(HttpVersion::Http1),
            ..Network::default()
        };
        let n = collection.overlay(&request);
        assert_eq!(n.ca_file.as_deref(), Some("corp.pem"));
        assert_eq!(n.proxy.as_deref(), Some("none"));
        assert_eq!(n.resolve, vec!["a:443:10.0.0.2", "a:443:10.0.0.1"]);
        assert_eq!(n.http_version, Some(HttpVersion::Http1));
        assert_eq!(n.timeout_seconds, Some(30.0));
        assert!(Network::default().is_empty() && !n.is_empty());
    }

    #[test]
    fn resolve_entries_parse_as_curl_writes_them() {
        let e: ResolveEntry = "API.example.com:443:127.0.0.1".parse().unwrap();
        assert_eq!(
            (e.host.as_str(), e.port, e.addr.to_string().as_str()),
            ("api.example.com", 443, "127.0.0.1")
        );
        let v6: ResolveEntry = "h:8443:[::1]".parse().unwrap();
        assert!(v6.addr.is_ipv6());
        for bad in ["h", "h:443", ":443:1.2.3.4", "h:x:1.2.3.4", "h:443:nothost"] {
            assert!(bad.parse::<ResolveEntry>().is_err(), "{bad}");
        }
    }

    #[test]
    fn settings_round_trip_with_curl_like_names() {
        let json = r#"{"caFile":"ca.pem","clientCert":"c.pem","clientKey":"k.pem","clientKeyPassphrase":"{{$env.KEY_PASS}}","proxy":"http://p:3128","proxyUsername":"me","proxyPassword":"{{$env.PROXY_PASSWORD}}","noProxy":"localhost","resolve":["h:443:127.0.0.1"],"httpVersion":"http2","connectTimeoutSeconds":5.0,"timeoutSeconds":30.0}"#;
        let n: Network = serde_json::from_str(json).unwrap();
        assert_eq!(n.http_version, Some(HttpVersion::Http2));
        assert_eq!(serde_json::to_string(&n).unwrap(), json);
        assert!(serde_json::from_str::<Network>(r#"{"cafile":"x"}"#).is_err());
    }
}
