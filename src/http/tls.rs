//! TLS as companies have it: the bundled roots, the system's trust store and extra CA files
//! together; client certificates for mutual TLS (encrypted PKCS#8 keys too); and a record of
//! what went wrong in a handshake (the certificate the server presented, whether it asked
//! for a client certificate) for the transport diagnosis to quote.
//!
//! rustls says *that* a certificate was refused; the certificate itself (its issuer, names,
//! dates) is only in hand inside the verifier, so the verifier keeps it in the client's
//! `HandshakeNotes`, keyed by the server name, for the diagnosis to take.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, WebPkiServerVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What the certificate a server presented says, for a refused handshake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateSeen {
    pub subject: String,
    pub issuer: String,
    /// DNS names and addresses in the subject alternative names.
    pub names: Vec<String>,
    pub not_before: String,
    pub not_after: String,
    /// Issuer and subject are the same: nobody vouches for it but itself.
    pub self_signed: bool,
    /// Certificates the server sent after its own (intermediates).
    pub chain_len: usize,
}

impl CertificateSeen {
    /// Reads a DER certificate; `None` if it is not one x509-parser understands.
    pub fn parse(der: &[u8], chain_len: usize) -> Option<CertificateSeen> {
        use x509_parser::prelude::*;
        let (_, cert) = X509Certificate::from_der(der).ok()?;
        let mut names = Vec::new();
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for name in &san.value.general_names {
                match name {
                    GeneralName::DNSName(n) => names.push((*n).to_string()),
                    GeneralName::IPAddress(bytes) => names.push(ip_text(bytes)),
                    _ => {}
                }
            }
        }
        let when = |t: &ASN1Time| {
            crate::aws::files::utc_z(
                std::time::SystemTime::UNIX_EPOCH
                    + std::time::Duration::from_secs(t.timestamp().max(0) as u64),
            )
        };
        Some(CertificateSeen {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            names,
            not_before: when(&cert.validity().not_before),
            not_after: when(&cert.validity().not_after),
            self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
            chain_len,
        })
    }
}

fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => std::net::Ipv4Addr::from(<[u8; 4]>::try_from(bytes).unwrap_or_default()).to_string(),
        16 => std::net::Ipv6Addr::from(<[u8; 16]>::try_from(bytes).unwrap_or_default()).to_string(),
        _ => hex::encode(bytes),
    }
}

/// What the handshakes of one client showed: the certificates it refused (by server name)
/// and the last request for a client certificate, kept for the diagnosis of the failure
/// they caused. One per client, so that two clients' failures never mix.
#[derive(Debug, Default)]
pub struct HandshakeNotes {
    seen: Mutex<HashMap<String, CertificateSeen>>,
    asked: Mutex<Option<ClientCertAsked>>,
}

impl HandshakeNotes {
    /// The certificate `host` presented in its last refused handshake (taken once).
    pub fn take_seen(&self, host: &str) -> Option<CertificateSeen> {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        self.seen.lock().ok()?.remove(&host.to_ascii_lowercase())
    }

    /// The last request for a client certificate, if recent (taken once). rustls does not
    /// tell the resolver which server asks: the request must be within `ASK_WINDOW` of the
    /// failure it explains.
    pub fn take_asked(&self) -> Option<ClientCertAsked> {
        let last = self.asked.lock().ok()?.take()?;
        (last.at.elapsed() < ASK_WINDOW).then_some(last)
    }

    fn saw(&self, server: &str, cert: CertificateSeen) {
        if let Ok(mut map) = self.seen.lock() {
            // Bounded: a long session against many failing hosts keeps the latest few.
            if map.len() > 64 {
                map.clear();
            }
            map.insert(server.to_ascii_lowercase(), cert);
        }
    }
}

/// A server's request for a client certificate: when, and the CAs it accepts.
#[derive(Debug, Clone)]
pub struct ClientCertAsked {
    pub at: Instant,
    pub acceptable_cas: Vec<String>,
    pub had_one: bool,
}

const ASK_WINDOW: Duration = Duration::from_secs(30);

/// Why the TLS configuration could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsFileError {
    #[error("the CA file {path} ({from}): {reason}")]
    CaFile {
        path: String,
        from: String,
        reason: String,
    },
    #[error("the client certificate {path}: {reason}")]
    ClientCert { path: String, reason: String },
    #[error("the client key {path}: {reason}")]
    ClientKey { path: String, reason: String },
    /// The key is encrypted and no passphrase was given: the caller asks for one.
    #[error("the client key {path} is encrypted: give its passphrase (--pass, or clientKeyPassphrase as a {{{{$env.NAME}}}} reference)")]
    PassphraseNeeded { path: String },
    #[error("the client key {path} did not decrypt with the passphrase given: check it")]
    PassphraseWrong { path: String },
}

/// The crypto provider reqwest's rustls uses (ring): one provider for the whole handshake.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The operating system's trust store, read once (it is a few hundred files).
fn system_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| rustls_native_certs::load_native_certs().certs)
}

/// A PEM file's certificates.
pub fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("not PEM: {e}"))?;
    if certs.is_empty() {
        return Err("no '-----BEGIN CERTIFICATE-----' in it: a PEM file is expected".into());
    }
    Ok(certs)
}

/// The bundled roots (webpki-roots), the system's, and the extra CA files, each named with
/// where it came from (`--cacert`, `AWS_CA_BUNDLE`...).
pub fn root_store(extra: &[(String, String)]) -> Result<RootCertStore, TlsFileError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let _ = roots.add_parsable_certificates(system_roots().iter().cloned());
    for (path, from) in extra {
        let err = |reason: String| TlsFileError::CaFile {
            path: path.clone(),
            from: from.clone(),
            reason,
        };
        for cert in read_certificates(Path::new(path)).map_err(err)? {
            roots
                .add(cert)
                .map_err(|e| err(format!("a certificate in it is not usable: {e}")))?;
        }
    }
    Ok(roots)
}

/// Reads a PEM private key; an encrypted PKCS#8 key is decrypted with `passphrase`.
pub fn read_key(
    path: &str,
    passphrase: Option<&str>,
) -> Result<PrivateKeyDer<'static>, TlsFileError> {
    let key_err = |reason: String| TlsFileError::ClientKey {
        path: path.to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| key_err(e.to_string()))?;
    if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        let Some(passphrase) = passphrase else {
            return Err(TlsFileError::PassphraseNeeded {
                path: path.to_string(),
            });
        };
        use pkcs8::der::Decode;
        let (label, der) = pkcs8::der::pem::decode_vec(text.trim().as_bytes())
            .map_err(|e| key_err(format!("not PEM: {e}")))?;
        if label != "ENCRYPTED PRIVATE KEY" {
            return Err(key_err(format!("a '{label}' block, not an encrypted key")));
        }
        let info = pkcs8::EncryptedPrivateKeyInfo::from_der(&der)
            .map_err(|e| key_err(format!("not an encrypted PKCS#8 key: {e}")))?;
        let plain = info
            .decrypt(passphrase)
            .map_err(|_| TlsFileError::PassphraseWrong {
                path: path.to_string(),
            })?;
        return Ok(PrivateKeyDer::Pkcs8(plain.as_bytes().to_vec().into()));
    }
    if text.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(key_err(
            "an OpenSSL legacy encrypted key: convert it with `openssl pkcs8 -topk8 -in KEY -out KEY.p8` (PKCS#8, still encrypted)".into(),
        ));
    }
    PrivateKeyDer::from_pem_slice(text.as_bytes()).map_err(|e| {
        key_err(format!(
            "no private key in it ({e}): PEM 'PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY' is expected"
        ))
    })
}

/// The client certificate and key, ready for handshakes.
pub fn certified_key(
    cert: &str,
    key: &str,
    passphrase: Option<&str>,
) -> Result<Arc<CertifiedKey>, TlsFileError> {
    let chain = read_certificates(Path::new(cert)).map_err(|reason| TlsFileError::ClientCert {
        path: cert.to_string(),
        reason,
    })?;
    let key_der = read_key(key, passphrase)?;
    let signing = provider()
        .key_provider
        .load_private_key(key_der)
        .map_err(|e| TlsFileError::ClientKey {
            path: key.to_string(),
            reason: format!("not a usable key: {e}"),
        })?;
    let certified = CertifiedKey::new(chain, signing);
    certified
        .keys_match()
        .map_err(|_| TlsFileError::ClientKey {
            path: key.to_string(),
            reason: format!("it is not the key of the certificate {cert}"),
        })?;
    Ok(Arc::new(certified))
}

/// Answers a server's request for a client certificate with ours (if any), and notes that it
/// asked.
#[derive(Debug)]
pub struct ClientCert {
    pub key: Option<Arc<CertifiedKey>>,
    pub notes: Arc<HandshakeNotes>,
}

impl ResolvesClientCert for ClientCert {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        let acceptable_cas = root_hint_subjects
            .iter()
            .filter_map(|der| name_of(der))
            .collect();
        if let Ok(mut last) = self.notes.asked.lock() {
            *last = Some(ClientCertAsked {
                at: Instant::now(),
                acceptable_cas,
                had_one: self.key.is_some(),
            });
        }
        self.key.clone()
    }

    fn has_certs(&self) -> bool {
        self.key.is_some()
    }
}

/// webpki's verification, keeping the certificate it refused; with `insecure`, anything is
/// accepted (the handshake's signatures are still checked).
#[derive(Debug)]
pub struct Verifier {
    pub inner: Arc<WebPkiServerVerifier>,
    pub insecure: bool,
    pub notes: Arc<HandshakeNotes>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        if self.insecure {
            return Ok(ServerCertVerified::assertion());
        }
        if verdict.is_err() {
            if let Some(cert) = CertificateSeen::parse(end_entity, intermediates.len()) {
                self.notes.saw(&server_name.to_str(), cert);
            }
        }
        verdict
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// A bare RDN sequence (as a CertificateRequest lists acceptable CAs) as text.
fn name_of(der: &[u8]) -> Option<String> {
    use x509_parser::prelude::FromDer;
    x509_parser::x509::X509Name::from_der(der)
        .ok()
        .map(|(_, n)| n.to_string())
}
