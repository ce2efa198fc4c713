//! The HTTP client for a request's network settings: trust (bundled roots, the system store,
//! CA files), a client certificate, the proxy (explicit, or `HTTPS_PROXY`/`HTTP_PROXY`/
//! `NO_PROXY` in either case), name overrides, the HTTP version and the two timeouts.
//!
//! ```text
//! model::Network (collection ⊕ environment ⊕ request, variables resolved)
//!        └─ ClientSettings::from_network ─▶ ClientSettings ◀─ CLI flags (--cacert, -x, --resolve...)
//!                                                 └─ build / cached ─▶ reqwest::Client
//! ```
//!
//! The proxy decision is made here (`ClientSettings::proxy_for`), not left to reqwest's own
//! reading of the environment, so that the proxy shown in the status line and quoted in a
//! diagnosis is the one the request used.

pub use super::proxy::{bypasses, ProxyEnv, ProxyInUse};
use super::tls::{self, TlsFileError};
use crate::model::network::{HttpVersion, Network, ResolveEntry};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The default connect timeout: a server that does not accept in this long is not there.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the proxy comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum ProxySetting {
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (upper or lower case), as curl reads them.
    #[default]
    Environment,
    /// Straight to the server, whatever the environment says.
    Direct,
    /// One proxy for both schemes (CONNECT for https).
    Explicit {
        url: String,
        username: Option<String>,
        password: Option<String>,
        /// `--proxy`, `proxy in the collection`...
        from: String,
    },
}

/// What a request's settings do that the user must keep in sight (the workbench's status
/// line): certificates not verified, the proxy it goes through, a name sent elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkNote {
    /// Where `insecure` was set.
    pub insecure: Option<String>,
    pub proxy: Option<ProxyInUse>,
    /// `host:port → address`.
    pub resolved: Option<String>,
}

impl NetworkNote {
    /// `None` when there is nothing to say.
    pub fn of(s: &ClientSettings, url: &str, env: &ProxyEnv) -> Option<NetworkNote> {
        let resolved = url::Url::parse(url).ok().and_then(|u| {
            let (host, port) = (u.host_str()?.to_string(), u.port_or_known_default()?);
            s.resolved(&host, port)
                .map(|r| format!("{host}:{port} → {}", r.addr))
        });
        let note = NetworkNote {
            insecure: s.insecure.clone(),
            proxy: s.proxy_for(url, env),
            resolved,
        };
        (note.insecure.is_some() || note.proxy.is_some() || note.resolved.is_some()).then_some(note)
    }
}

/// Everything that shapes a connection, resolved (paths named, not yet read).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientSettings {
    /// Extra CA files, each with where it was named.
    pub ca_files: Vec<(String, String)>,
    /// Read `AWS_CA_BUNDLE` when the client is built.
    pub aws_ca_bundle: bool,
    /// The profile whose `ca_bundle` (in the AWS config file) applies, when the request is
    /// signed: `Some(None)` for the chain's own (AWS_PROFILE, else default).
    pub aws_profile: Option<Option<String>>,
    /// Accept any certificate, and where that was asked.
    pub insecure: Option<String>,
    /// (certificate, key, passphrase)
    pub client_cert: Option<(String, String, Option<String>)>,
    pub proxy: ProxySetting,
    /// Hosts reached directly, in addition to `NO_PROXY`.
    pub no_proxy: Option<String>,
    pub resolve: Vec<ResolveEntry>,
    pub http_version: HttpVersion,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// Where the timeouts come from, for the diagnosis of a timeout.
    pub timeout_from: String,
    pub connect_timeout_from: String,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings::with_timeout(Duration::from_secs(30))
    }
}

/// Why a client could not be built: a file to fix, a passphrase to give.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error(transparent)]
    Tls(#[from] TlsFileError),
    #[error("the proxy '{url}': {reason}")]
    Proxy { url: String, reason: String },
    #[error("{0}")]
    Settings(String),
    #[error("the HTTP client: {0}")]
    Build(String),
}

impl ClientError {
    /// The key file whose passphrase is needed, when that is all that is missing.
    pub fn passphrase_needed(&self) -> Option<&str> {
        match self {
            ClientError::Tls(TlsFileError::PassphraseNeeded { path }) => Some(path),
            _ => None,
        }
    }

    /// The key file whose passphrase is missing or did not decrypt it: asking (again) is
    /// the way on.
    pub fn key_to_unlock(&self) -> Option<&str> {
        match self {
            ClientError::Tls(
                TlsFileError::PassphraseNeeded { path } | TlsFileError::PassphraseWrong { path },
            ) => Some(path),
            _ => None,
        }
    }
}

fn seconds(value: f64, what: &str) -> Result<Duration, ClientError> {
    if !value.is_finite() || !(0.001..=86_400.0).contains(&value) {
        return Err(ClientError::Settings(format!(
            "{what} is {value}: give a number of seconds from 0.001 to 86400"
        )));
    }
    Ok(Duration::from_secs_f64(value))
}

impl ClientSettings {
    /// No file, the environment's proxy, `timeout` for the whole exchange.
    pub fn with_timeout(timeout: Duration) -> Self {
        ClientSettings {
            ca_files: Vec::new(),
            aws_ca_bundle: true,
            aws_profile: None,
            insecure: None,
            client_cert: None,
            proxy: ProxySetting::Environment,
            no_proxy: None,
            resolve: Vec::new(),
            http_version: HttpVersion::Auto,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT.min(timeout),
            timeout,
            timeout_from: "the default".into(),
            connect_timeout_from: "the default".into(),
        }
    }

    /// Settings from a collection's (merged, variables resolved) network settings; `from`
    /// names the level for messages ("the collection's network settings").
    pub fn from_network(n: &Network, from: &str) -> Result<Self, ClientError> {
        let mut s = ClientSettings::default();
        s.apply_network(n, from)?;
        Ok(s)
    }

    /// Applies the fields `n` sets.
    pub fn apply_network(&mut self, n: &Network, from: &str) -> Result<(), ClientError> {
        // Field by field, as every setting: a request's (or environment's) CA file replaces
        // the collection's (a staging CA is not the production one); `--cacert` adds.
        if let Some(ca) = n.ca_file.as_deref().filter(|c| !c.trim().is_empty()) {
            self.ca_files.retain(|(_, f)| !f.starts_with("caFile in "));
            self.ca_files
                .push((ca.to_string(), format!("caFile in {from}")));
        }
        if n.insecure == Some(true) {
            self.insecure = Some(format!("insecure in {from}"));
        }
        match (&n.client_cert, &n.client_key) {
            (Some(c), Some(k)) => {
                self.client_cert = Some((
                    c.clone(),
                    k.clone(),
                    n.client_key_passphrase.clone().filter(|p| !p.is_empty()),
                ))
            }
            (Some(c), None) => {
                // A PEM holding both certificate and key, as curl's --cert takes it.
                self.client_cert = Some((c.clone(), c.clone(), n.client_key_passphrase.clone()))
            }
            (None, Some(_)) => {
                return Err(ClientError::Settings(format!(
                    "clientKey without clientCert in {from}: give the certificate too"
                )))
            }
            (None, None) => {}
        }
        if let Some(p) = &n.proxy {
            self.proxy = if p.trim().is_empty() || p.trim() == "none" {
                ProxySetting::Direct
            } else {
                ProxySetting::Explicit {
                    url: p.trim().to_string(),
                    username: n.proxy_username.clone().filter(|u| !u.is_empty()),
                    password: n.proxy_password.clone(),
                    from: format!("proxy in {from}"),
                }
            };
        }
        if let Some(no) = &n.no_proxy {
            self.no_proxy = Some(no.clone());
        }
        for r in &n.resolve {
            let entry: ResolveEntry = r
                .parse()
                .map_err(|e| ClientError::Settings(format!("resolve in {from}: {e}")))?;
            self.resolve.push(entry);
        }
        if let Some(v) = n.http_version {
            self.http_version = v;
        }
        if let Some(t) = n.timeout_seconds {
            self.timeout = seconds(t, "timeoutSeconds")?;
            self.timeout_from = format!("timeoutSeconds in {from}");
        }
        if let Some(t) = n.connect_timeout_seconds {
            self.connect_timeout = seconds(t, "connectTimeoutSeconds")?;
            self.connect_timeout_from = format!("connectTimeoutSeconds in {from}");
        }
        Ok(())
    }

    /// The proxy a request to `url` goes through, with these settings and `env`.
    pub fn proxy_for(&self, url: &str, env: &ProxyEnv) -> Option<ProxyInUse> {
        let target = url::Url::parse(url).ok()?;
        let host = target.host_str()?.to_ascii_lowercase();
        let (proxy, from, env_no_proxy, auth) = match &self.proxy {
            ProxySetting::Direct => return None,
            ProxySetting::Explicit {
                url,
                username,
                from,
                ..
            } => (url.clone(), from.clone(), None, username.is_some()),
            ProxySetting::Environment => {
                let chosen = match target.scheme() {
                    "https" => env.https.as_ref(),
                    _ => env.http.as_ref(),
                }?;
                (
                    chosen.0.clone(),
                    chosen.1.to_string(),
                    env.no_proxy.as_ref().map(|n| n.0.clone()),
                    false,
                )
            }
        };
        if [env_no_proxy.as_deref(), self.no_proxy.as_deref()]
            .into_iter()
            .flatten()
            .any(|list| bypasses(list, &host))
        {
            return None;
        }
        let with_scheme = if proxy.contains("://") {
            proxy.clone()
        } else {
            format!("http://{proxy}")
        };
        let parsed = url::Url::parse(&with_scheme).ok()?;
        let authenticated = auth || !parsed.username().is_empty();
        let address = format!(
            "{}:{}",
            parsed.host_str().unwrap_or_default(),
            parsed.port_or_known_default().unwrap_or(1080)
        );
        let mut shown = parsed.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        Some(ProxyInUse {
            url: shown.as_str().trim_end_matches('/').to_string(),
            from,
            authenticated,
            address,
        })
    }

    /// The settings for a call to `url`: `--resolve` entries kept only for its host and
    /// port (curl applies an entry to that port alone; the client maps names, not ports).
    pub fn for_url(mut self, url: &str) -> Self {
        let target = url::Url::parse(url).ok();
        let (host, port) = match &target {
            Some(u) => (
                u.host_str().unwrap_or_default().to_ascii_lowercase(),
                u.port_or_known_default().unwrap_or(0),
            ),
            None => (String::new(), 0),
        };
        let first = self
            .resolve
            .iter()
            .find(|r| r.host == host && r.port == port)
            .cloned();
        self.resolve = first.into_iter().collect();
        self
    }

    /// The `--resolve` address for `host:port`, if one applies.
    pub fn resolved(&self, host: &str, port: u16) -> Option<&ResolveEntry> {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        self.resolve
            .iter()
            .find(|r| r.host.eq_ignore_ascii_case(host) && r.port == port)
    }
}

/// `AWS_CA_BUNDLE`, else the profile's `ca_bundle` (when a profile is in play), as the AWS
/// CLI finds them.
fn aws_ca_bundle(env: bool, profile: Option<Option<&str>>) -> Option<(String, String)> {
    if let Some(path) = std::env::var("AWS_CA_BUNDLE")
        .ok()
        .filter(|p| env && !p.is_empty())
    {
        return Some((path, "AWS_CA_BUNDLE".into()));
    }
    let name = profile?
        .map(str::to_string)
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
        .unwrap_or_else(|| "default".into());
    let config = crate::aws::config::AwsConfig::from_env();
    let path = config.profile(&name)?.get("ca_bundle")?.clone();
    Some((path, format!("ca_bundle of profile '{name}'")))
}

/// Builds a client: no redirects (a signed request never follows one), the settings' trust,
/// client certificate, proxy, overrides, version and timeouts.
pub fn build(s: &ClientSettings) -> Result<reqwest::Client, ClientError> {
    let mut ca_files = s.ca_files.clone();
    ca_files.extend(aws_ca_bundle(
        s.aws_ca_bundle,
        s.aws_profile.as_ref().map(|p| p.as_deref()),
    ));
    let provider = tls::provider();
    let notes = Arc::new(tls::HandshakeNotes::default());
    let roots = tls::root_store(&ca_files)?;
    let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .map_err(|e| ClientError::Build(e.to_string()))?;
    let identity = match &s.client_cert {
        Some((cert, key, pass)) => Some(tls::certified_key(cert, key, pass.as_deref())?),
        None => None,
    };
    let mut tls_config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::Build(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(tls::Verifier {
            inner,
            insecure: s.insecure.is_some(),
            notes: notes.clone(),
        }))
        .with_client_cert_resolver(Arc::new(tls::ClientCert {
            key: identity,
            notes: notes.clone(),
        }));
    // reqwest leaves ALPN to a preconfigured TLS config.
    tls_config.alpn_protocols = match s.http_version {
        HttpVersion::Auto => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        HttpVersion::Http1 => vec![b"http/1.1".to_vec()],
        HttpVersion::Http2 => vec![b"h2".to_vec()],
    };
    let mut builder = reqwest::Client::builder()
        .use_preconfigured_tls(tls_config)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(s.timeout)
        .connect_timeout(s.connect_timeout)
        .user_agent(concat!("sigscope/", env!("CARGO_PKG_VERSION")))
        .no_proxy();
    builder = match s.http_version {
        HttpVersion::Auto => builder,
        HttpVersion::Http1 => builder.http1_only(),
        HttpVersion::Http2 => builder.http2_prior_knowledge(),
    };
    for r in &s.resolve {
        // reqwest keeps the URL's port; the entry's port decides whether it applies
        // (`resolved`), as curl's does, at send time.
        builder = builder.resolve(&r.host, SocketAddr::new(r.addr, r.port));
    }
    if let Some(proxy) = proxy(s)? {
        builder = builder.proxy(proxy);
    }
    let client = builder
        .build()
        .map_err(|e| ClientError::Build(e.to_string()))?;
    remember_notes(s, notes);
    Ok(client)
}

/// The handshake notes of the clients built, by their settings (the latest for equal ones).
type NotesBySettings = Mutex<Vec<(ClientSettings, Arc<tls::HandshakeNotes>)>>;

fn notes_registry() -> &'static NotesBySettings {
    static NOTES: OnceLock<NotesBySettings> = OnceLock::new();
    NOTES.get_or_init(Default::default)
}

fn remember_notes(s: &ClientSettings, notes: Arc<tls::HandshakeNotes>) {
    if let Ok(mut all) = notes_registry().lock() {
        all.retain(|(k, _)| k != s);
        if all.len() >= 32 {
            all.remove(0);
        }
        all.push((s.clone(), notes));
    }
}

/// What the handshakes of the client built from `s` showed.
pub fn notes_for(s: &ClientSettings) -> Option<Arc<tls::HandshakeNotes>> {
    notes_registry()
        .lock()
        .ok()?
        .iter()
        .find(|(k, _)| k == s)
        .map(|(_, n)| n.clone())
}

/// The reqwest proxy for the settings: every URL goes through `proxy_for`.
fn proxy(s: &ClientSettings) -> Result<Option<reqwest::Proxy>, ClientError> {
    if s.proxy == ProxySetting::Direct {
        return Ok(None);
    }
    let env = ProxyEnv::from_process();
    // Each proxy URL must parse now, not fail silently on the first request.
    let urls: Vec<(String, String)> = match &s.proxy {
        ProxySetting::Explicit { url, from, .. } => vec![(url.clone(), from.clone())],
        _ => [&env.https, &env.http]
            .into_iter()
            .flatten()
            .map(|(v, n)| (v.clone(), n.to_string()))
            .collect(),
    };
    if urls.is_empty() {
        return Ok(None);
    }
    for (u, from) in &urls {
        let with_scheme = if u.contains("://") {
            u.clone()
        } else {
            format!("http://{u}")
        };
        match url::Url::parse(&with_scheme) {
            Ok(p) if matches!(p.scheme(), "http" | "https") && p.host_str().is_some() => {}
            Ok(p) => {
                return Err(ClientError::Proxy {
                    url: u.clone(),
                    reason: format!(
                        "from {from}: scheme '{}' is not supported (http:// or https://)",
                        p.scheme()
                    ),
                })
            }
            Err(e) => {
                return Err(ClientError::Proxy {
                    url: u.clone(),
                    reason: format!("from {from}: {e}"),
                })
            }
        }
    }
    let settings = s.clone();
    let mut proxy = reqwest::Proxy::custom(move |url| {
        settings.proxy_for(url.as_str(), &env).and_then(|p| {
            // The URL with its credentials, when they are in it.
            let raw = match &settings.proxy {
                ProxySetting::Explicit { url, .. } => url.clone(),
                _ => match url.scheme() {
                    "https" => env.https.clone().map(|v| v.0).unwrap_or(p.url.clone()),
                    _ => env.http.clone().map(|v| v.0).unwrap_or(p.url.clone()),
                },
            };
            let raw = if raw.contains("://") {
                raw
            } else {
                format!("http://{raw}")
            };
            url::Url::parse(&raw).ok()
        })
    });
    if let ProxySetting::Explicit {
        username: Some(user),
        password,
        ..
    } = &s.proxy
    {
        proxy = proxy.basic_auth(user, password.as_deref().unwrap_or_default());
    }
    Ok(Some(proxy))
}

/// A client per distinct settings, reused: connections stay open between sends.
pub fn cached(s: &ClientSettings) -> Result<reqwest::Client, ClientError> {
    static CACHE: OnceLock<Mutex<Vec<(ClientSettings, reqwest::Client)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some((_, c)) = cache
        .lock()
        .ok()
        .and_then(|c| c.iter().find(|(k, _)| k == s).cloned())
    {
        return Ok(c);
    }
    let client = build(s)?;
    if let Ok(mut c) = cache.lock() {
        if c.len() >= 8 {
            c.remove(0);
        }
        c.push((s.clone(), client.clone()));
    }
    Ok(client)
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
