//! Each request of a flow sent through a client for its own network settings (collection,
//! environment, request), with `sigscope run`'s flags on top.

use super::runner::Options;
use crate::http::client::ClientSettings;
use crate::http::prepare;

type OverlayFn = dyn Fn(&prepare::Prepared, &str) -> Result<ClientSettings, String> + Send + Sync;

/// Turns a request's network settings (collection, environment, request) into those it is
/// sent with, for its URL: `sigscope run`'s curl-named flags on top. An `Err` is a request
/// not sent (a CA file missing, a passphrase not given).
#[derive(Clone)]
pub struct NetworkOverlay(pub std::sync::Arc<OverlayFn>);

impl std::fmt::Debug for NetworkOverlay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NetworkOverlay")
    }
}

/// The settings a prepared request is sent with, and the client for them (one per distinct
/// settings, so equal ones share connections).
pub type Connection = Result<(ClientSettings, reqwest::Client), String>;

pub fn connection(options: &Options, p: &prepare::Prepared) -> Connection {
    let url = p.request.url();
    let settings = match &options.network {
        Some(overlay) => (overlay.0)(p, &url)?,
        None => {
            let mut s = p.network.clone();
            if s.timeout_from == ClientSettings::default().timeout_from {
                s.timeout = options.timeout;
                s.connect_timeout = s.connect_timeout.min(options.timeout);
            }
            s.for_url(&url)
        }
    };
    let client = crate::http::client::cached(&settings).map_err(|e| e.to_string())?;
    Ok((settings, client))
}
