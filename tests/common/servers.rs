//! Real local servers for the network tests: a private CA and its certificates (rcgen), a TLS
//! server (optionally asking for a client certificate, speaking HTTP/1.1 or HTTP/2 as ALPN
//! says), a CONNECT proxy that wants credentials, and servers that misbehave on purpose
//! (silent, closing, cutting a body short). Everything listens on 127.0.0.1.
#![allow(dead_code)]

use base64::Engine;
use bytes::Bytes;
use http_body_util::Full;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A private certificate authority.
pub struct Ca {
    pub name: String,
    params: CertificateParams,
    key: KeyPair,
    pub cert: CertificateDer<'static>,
    pub pem: String,
}

/// A certificate issued by a `Ca`, with its key.
pub struct Leaf {
    pub cert: CertificateDer<'static>,
    pub pem: String,
    pub key: PrivateKeyDer<'static>,
    pub key_pem: String,
}

impl Ca {
    pub fn new(common_name: &str) -> Ca {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        params
            .distinguished_name
            .push(DnType::OrganizationName, "Example Corp");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).unwrap();
        Ca {
            name: common_name.to_string(),
            pem: cert.pem(),
            cert: cert.der().clone(),
            params,
            key,
        }
    }

    /// A server certificate for `names`, valid from `not_before` to `not_after` (days from
    /// now; negative is in the past).
    pub fn server(&self, names: &[&str], not_before: i64, not_after: i64) -> Leaf {
        self.leaf(
            names,
            not_before,
            not_after,
            ExtendedKeyUsagePurpose::ServerAuth,
        )
    }

    pub fn client(&self, name: &str) -> Leaf {
        self.leaf(&[name], -1, 30, ExtendedKeyUsagePurpose::ClientAuth)
    }

    fn leaf(
        &self,
        names: &[&str],
        not_before: i64,
        not_after: i64,
        usage: ExtendedKeyUsagePurpose,
    ) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .unwrap();
        params.distinguished_name.push(DnType::CommonName, names[0]);
        params.extended_key_usages = vec![usage];
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now + time::Duration::days(not_before);
        params.not_after = now + time::Duration::days(not_after);
        let issuer = Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer).unwrap();
        Leaf {
            pem: cert.pem(),
            cert: cert.der().clone(),
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
            key_pem: key.serialize_pem(),
        }
    }

    pub fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join(format!("{}.pem", self.name.replace(' ', "-")));
        std::fs::write(&path, &self.pem).unwrap();
        path
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A running server: its port, and how many connections it took.
pub struct Server {
    pub port: u16,
    pub connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    pub fn count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn listen() -> (TcpListener, u16) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    (l, port)
}

fn spawn_accepting<F, Fut>(
    listener: TcpListener,
    handle: F,
) -> (Arc<AtomicUsize>, tokio::task::JoinHandle<()>)
where
    F: Fn(TcpStream, SocketAddr) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let handle = Arc::new(handle);
    let task = tokio::spawn(async move {
        while let Ok((stream, peer)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let h = handle.clone();
            tokio::spawn(async move { h(stream, peer).await });
        }
    });
    (connections, task)
}

/// An HTTPS server presenting `leaf` (with `chain` after it), answering every request
/// `200` with a body that names the HTTP version and whether a client certificate came;
/// with `client_ca`, a client certificate from that CA is required.
pub async fn https(
    leaf: &Leaf,
    chain: &[CertificateDer<'static>],
    client_ca: Option<&Ca>,
) -> Server {
    let mut certs = vec![leaf.cert.clone()];
    certs.extend(chain.iter().cloned());
    let builder = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match client_ca {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(ca.cert.clone()).unwrap();
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider(),
            )
            .build()
            .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let mut config = builder
        .with_single_cert(certs, leaf.key.clone_key())
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let (listener, port) = listen().await;
    let (connections, task) = spawn_accepting(listener, move |stream, _| {
        let acceptor = acceptor.clone();
        async move {
            let Ok(tls) = acceptor.accept(stream).await else {
                return;
            };
            let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
            let client_cert = tls.get_ref().1.peer_certificates().is_some();
            let service = hyper::service::service_fn(
                move |req: hyper::Request<hyper::body::Incoming>| async move {
                    let body = format!(
                        "hello over {:?}; client certificate: {client_cert}; host: {}",
                        req.version(),
                        req.headers()
                            .get("host")
                            .and_then(|h| h.to_str().ok())
                            .unwrap_or_else(|| req
                                .uri()
                                .authority()
                                .map(|a| a.as_str())
                                .unwrap_or(""))
                    );
                    Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from(
                        body,
                    ))))
                },
            );
            let io = hyper_util::rt::TokioIo::new(tls);
            if h2 {
                let _ =
                    hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                        .serve_connection(io, service)
                        .await;
            } else {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            }
        }
    });
    Server {
        port,
        connections,
        task,
    }
}

/// Reads an HTTP head (up to the blank line) from `stream`.
async fn read_head(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            return Some((head, buf[end + 4..].to_vec()));
        }
    }
}

/// A forward proxy on 127.0.0.1 that wants `Proxy-Authorization: Basic user:password`:
/// CONNECT opens a tunnel, an absolute-form request is forwarded; without the right
/// credentials, 407.
pub async fn proxy(user: &str, password: &str) -> Server {
    let expected = format!(
        "basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    );
    let (listener, port) = listen().await;
    let (connections, task) = spawn_accepting(listener, move |mut client, _| {
        let expected = expected.clone();
        async move {
            let Some((head, rest)) = read_head(&mut client).await else {
                return;
            };
            let authorized = head.lines().any(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("proxy-authorization:")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case(&expected))
            });
            if !authorized {
                let _ = client
                    .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"example-corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
                return;
            }
            let request_line = head.lines().next().unwrap_or_default().to_string();
            let mut parts = request_line.split_whitespace();
            let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            if method == "CONNECT" {
                let Ok(mut upstream) = TcpStream::connect(target).await else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                    return;
                };
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                    .await;
                let _ = upstream.write_all(&rest).await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            } else {
                // http://host:port/path → origin form to host:port.
                let url = url::Url::parse(target).unwrap();
                let addr = format!(
                    "{}:{}",
                    url.host_str().unwrap(),
                    url.port_or_known_default().unwrap()
                );
                let Ok(mut upstream) = TcpStream::connect(addr).await else {
                    return;
                };
                let origin_form = &url[url::Position::BeforePath..];
                let mut head_out = head.replacen(target, origin_form, 1);
                head_out.push_str("\r\n\r\n");
                let _ = upstream.write_all(head_out.as_bytes()).await;
                let _ = upstream.write_all(&rest).await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            }
        }
    });
    Server {
        port,
        connections,
        task,
    }
}

/// Answers `200` with `Content-Length: announced`, sends `sent` bytes of it, and closes.
pub async fn cut_short(announced: usize, sent: usize) -> Server {
    let (listener, port) = listen().await;
    let (connections, task) = spawn_accepting(listener, move |mut s, _| async move {
        let _ = read_head(&mut s).await;
        let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {announced}\r\n\r\n");
        let _ = s.write_all(head.as_bytes()).await;
        let _ = s.write_all(&vec![b'x'; sent]).await;
        let _ = s.flush().await;
        // Dropping the stream closes it before the body's end.
    });
    Server {
        port,
        connections,
        task,
    }
}

/// Accepts and says nothing for a minute (reading what comes).
pub async fn silent() -> Server {
    let (listener, port) = listen().await;
    let (connections, task) = spawn_accepting(listener, |mut s, _| async move {
        let mut buf = [0u8; 1024];
        let _ = tokio::time::timeout(Duration::from_secs(60), async {
            while let Ok(n) = s.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
        })
        .await;
    });
    Server {
        port,
        connections,
        task,
    }
}

/// Reads the request head, then resets the connection (SO_LINGER 0) without a word.
pub async fn resetting() -> Server {
    let (listener, port) = listen().await;
    let (connections, task) = spawn_accepting(listener, |mut s, _| async move {
        let _ = read_head(&mut s).await;
        #[allow(deprecated)]
        let _ = s.set_linger(Some(Duration::ZERO));
        drop(s);
    });
    Server {
        port,
        connections,
        task,
    }
}

/// A port with nothing listening on it.
pub fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    port
}

/// Encrypts a PKCS#8 key with `passphrase` as `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes
/// it: PBES2, PBKDF2-HMAC-SHA256 (2048 iterations) and AES-256-CBC.
pub fn encrypt_key(key: &PrivateKeyDer<'_>, passphrase: &str) -> String {
    use pkcs8::der::Decode;
    use rand_core::RngCore;
    let info = pkcs8::PrivateKeyInfo::from_der(key.secret_der()).unwrap();
    let (mut salt, mut iv) = ([0u8; 16], [0u8; 16]);
    rand_core::OsRng.fill_bytes(&mut salt);
    rand_core::OsRng.fill_bytes(&mut iv);
    let params =
        pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(2048, &salt, &iv).unwrap();
    let doc = info
        .encrypt_with_params(params, passphrase.as_bytes())
        .unwrap();
    doc.to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
        .unwrap()
        .to_string()
}

/// Client settings that read nothing from the environment (no AWS_CA_BUNDLE, no proxy
/// variables), a 10 s timeout.
pub fn settings() -> sigscope::http::client::ClientSettings {
    use sigscope::http::client::{ClientSettings, ProxySetting};
    ClientSettings {
        aws_ca_bundle: false,
        proxy: ProxySetting::Direct,
        ..ClientSettings::with_timeout(Duration::from_secs(10))
    }
}

/// A GET of `url` through a client built from `s`; a failure comes with the settings that
/// applied and its diagnosis, as `send` shows them.
pub async fn get(
    s: &sigscope::http::client::ClientSettings,
    url: &str,
) -> Result<
    sigscope::http::Exchange,
    (
        sigscope::http::TransportError,
        sigscope::diagnose::transport::TransportDiagnosis,
    ),
> {
    let client = sigscope::http::client::build(s).expect("client");
    let req = sigscope::sign::WireRequest::from_url("GET", url).unwrap();
    sigscope::http::send(&client, req, None).await.map_err(|e| {
        let e = e.with_settings(s, url);
        let d = sigscope::diagnose::transport::diagnose(&e, url);
        (e, d)
    })
}
