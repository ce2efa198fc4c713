//! AWS knowledge that isn't signing: credentials and profiles (as the AWS CLI finds them, its
//! caches shared), IAM Identity Center logins, MFA, endpoint inference, and STS identity.
//!
//! - `config` / `profiles`: the shared files; `plan`: what a profile needs, or why it is broken.
//! - `credentials`: resolving a `CredentialSpec`; `chain`: a profile's chain with MFA and the
//!   AWS CLI's role cache (`role_cache`); `mfa`: where codes come from.
//! - `sso`: the token cache, the device-flow login, refresh, logout; `status`: each profile's
//!   state without the network.
//! - `private_api`: private APIs through a VPC endpoint (which Host is signed).
//! - `files` / `pyjson`: where and how the AWS CLI writes its caches, byte for byte.

pub mod chain;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod files;
pub mod mfa;
pub mod plan;
pub mod private_api;
pub mod profiles;
pub mod pyjson;
pub mod role_cache;
pub mod sso;
pub mod status;
pub mod sts;
