//! The network flags, named as curl names them (`--cacert`, `-k`, `-E/--cert`, `--key`,
//! `--pass`, `-x/--proxy`, `-U/--proxy-user`, `--noproxy`, `--resolve`, `--http1.1`,
//! `--http2`, `--connect-timeout`), applied over a collection's settings; the client built
//! from them (asking for an encrypted key's passphrase on a terminal); and the warnings and
//! notes they call for.

use crate::http::client::{self, ClientError, ClientSettings, ProxyEnv, ProxySetting};
use crate::model::network::{HttpVersion, ResolveEntry};
use crate::text::visible_line;
use anyhow::{bail, Result};
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Args, Clone, Default)]
pub struct NetworkArgs {
    /// A PEM file of CA certificates to trust, besides the bundled roots, the system's and
    /// AWS_CA_BUNDLE (a company proxy that re-signs TLS).
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,
    /// Accept any server certificate. Says so loudly on every use; never saved.
    #[arg(short = 'k', long)]
    pub insecure: bool,
    /// A PEM client certificate for mutual TLS (the key too, if --key is not given).
    #[arg(short = 'E', long = "cert", value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// The client certificate's PEM private key (an encrypted PKCS#8 key asks for --pass).
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// The passphrase of an encrypted --key (asked on a terminal when not given).
    #[arg(long, value_name = "PHRASE")]
    pub pass: Option<String>,
    /// A proxy, http://HOST:PORT (https goes through CONNECT); 'none' ignores HTTPS_PROXY.
    #[arg(short = 'x', long, value_name = "URL")]
    pub proxy: Option<String>,
    /// The proxy's credentials, USER:PASSWORD.
    #[arg(short = 'U', long = "proxy-user", value_name = "USER:PASSWORD")]
    pub proxy_user: Option<String>,
    /// Hosts to reach without the proxy, comma-separated (as NO_PROXY).
    #[arg(long, value_name = "LIST")]
    pub noproxy: Option<String>,
    /// Send HOST:PORT to ADDRESS instead of asking DNS (a private name). Repeatable.
    #[arg(long, value_name = "HOST:PORT:ADDRESS", value_parser = parse_resolve)]
    pub resolve: Vec<ResolveEntry>,
    /// Speak HTTP/1.1 only.
    #[arg(long = "http1.1", conflicts_with = "http2")]
    pub http1_1: bool,
    /// Speak HTTP/2 only (prior knowledge on plain HTTP).
    #[arg(long)]
    pub http2: bool,
    /// Seconds to wait for the connection (TCP, proxy tunnel and TLS), 0.001 to 86400.
    #[arg(long, value_name = "SECONDS", value_parser = super::args::parse_timeout)]
    pub connect_timeout: Option<super::args::Timeout>,
}

fn parse_resolve(s: &str) -> std::result::Result<ResolveEntry, String> {
    s.parse()
}

impl NetworkArgs {
    /// The flags over `base` (a collection's settings, or the defaults).
    pub fn apply(&self, mut s: ClientSettings) -> Result<ClientSettings> {
        if let Some(ca) = &self.cacert {
            s.ca_files
                .push((ca.display().to_string(), "--cacert".into()));
        }
        if self.insecure {
            s.insecure = Some("--insecure".into());
        }
        if let Some(cert) = &self.cert {
            let cert = cert.display().to_string();
            let key = self
                .key
                .as_ref()
                .map(|k| k.display().to_string())
                .unwrap_or_else(|| cert.clone());
            s.client_cert = Some((cert, key, self.pass.clone()));
        } else if let Some(pass) = &self.pass {
            match &mut s.client_cert {
                Some((_, _, p)) => *p = Some(pass.clone()),
                None => {
                    bail!("--pass is the passphrase of a client key: give --cert (and --key) too")
                }
            }
        }
        if let Some(p) = &self.proxy {
            s.proxy = if p.trim().is_empty() || p.trim() == "none" {
                ProxySetting::Direct
            } else {
                ProxySetting::Explicit {
                    url: p.trim().to_string(),
                    username: None,
                    password: None,
                    from: "--proxy".into(),
                }
            };
        }
        if let Some(userpass) = &self.proxy_user {
            let (user, password) = userpass.split_once(':').unwrap_or((userpass, ""));
            match &mut s.proxy {
                ProxySetting::Explicit {
                    username,
                    password: pw,
                    ..
                } => {
                    *username = Some(user.to_string());
                    *pw = Some(password.to_string());
                }
                _ => {
                    // The environment's proxy, with these credentials.
                    let env = ProxyEnv::from_process();
                    let Some((url, name)) = env.https.or(env.http) else {
                        bail!("--proxy-user without a proxy: give --proxy, or set HTTPS_PROXY");
                    };
                    s.proxy = ProxySetting::Explicit {
                        url,
                        username: Some(user.to_string()),
                        password: Some(password.to_string()),
                        from: name.to_string(),
                    };
                }
            }
        }
        if let Some(list) = &self.noproxy {
            s.no_proxy = Some(list.clone());
        }
        // Entries from the command line come first: the first for a host wins.
        let mut resolve = self.resolve.clone();
        resolve.append(&mut s.resolve);
        s.resolve = resolve;
        if self.http1_1 {
            s.http_version = HttpVersion::Http1;
        }
        if self.http2 {
            s.http_version = HttpVersion::Http2;
        }
        if let Some(t) = self.connect_timeout {
            s.connect_timeout = t.0;
            s.connect_timeout_from = "--connect-timeout".into();
        }
        Ok(s)
    }
}

/// Sets the total timeout from a flag.
pub fn with_timeout(mut s: ClientSettings, t: std::time::Duration, flag: &str) -> ClientSettings {
    s.timeout = t;
    s.timeout_from = flag.to_string();
    if s.connect_timeout_from == "the default" {
        s.connect_timeout = s.connect_timeout.min(t);
    }
    s
}

/// The client for `s`; an encrypted key's passphrase is asked on the terminal (never
/// echoed, never stored).
pub fn client(s: &mut ClientSettings) -> Result<reqwest::Client> {
    match client::cached(s) {
        Ok(c) => Ok(c),
        Err(e) => {
            let Some(path) = e.passphrase_needed().map(str::to_string) else {
                return Err(explain(e));
            };
            if !std::io::stdin().is_terminal() {
                return Err(explain(e));
            }
            let phrase = rpassword::prompt_password(format!("passphrase for {path}: "))?;
            if let Some((_, _, p)) = &mut s.client_cert {
                *p = Some(phrase);
            }
            client::cached(s).map_err(explain)
        }
    }
}

fn explain(e: ClientError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// What the settings mean for a call to `url`, said before it goes: `--insecure` always,
/// loudly; the proxy and `--resolve` when `verbose`.
pub fn announce(s: &ClientSettings, url: &str, verbose: bool) {
    if let Some(from) = &s.insecure {
        errln!(
            "WARNING: TLS certificates are NOT verified ({}): anyone on the way can read and change this request, credentials included",
            visible_line(from)
        );
    }
    if !verbose {
        return;
    }
    if let Some(p) = s.proxy_for(url, &ProxyEnv::from_process()) {
        errln!(
            "* via proxy {} (from {}){}",
            visible_line(&p.url),
            visible_line(&p.from),
            if p.authenticated {
                ", with credentials"
            } else {
                ""
            }
        );
    }
    if let Ok(u) = url::Url::parse(url) {
        if let (Some(h), Some(port)) = (u.host_str(), u.port_or_known_default()) {
            if let Some(r) = s.resolved(h, port) {
                errln!(
                    "* {}:{port} resolved to {} (--resolve)",
                    visible_line(h),
                    r.addr
                );
            }
        }
    }
}

/// A collection request's settings with the command line's on top (`run`): `--timeout`
/// when given, else the collection's, else 30 s.
pub fn settings_for_run(
    flags: &NetworkArgs,
    timeout: Option<super::args::Timeout>,
    prepared: &crate::http::prepare::Prepared,
    url: &str,
) -> Result<ClientSettings> {
    let mut s = prepared.network.clone();
    if let Some(t) = timeout {
        s = with_timeout(s, t.0, "--timeout");
    }
    let s = flags.apply(s)?.for_url(url);
    announce(&s, url, false);
    Ok(s)
}
