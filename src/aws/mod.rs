//! AWS knowledge that isn't signing: credentials and profiles (as the AWS CLI finds them),
//! endpoint inference, and STS identity.

pub mod credentials;
pub mod endpoint;
pub mod profiles;
pub mod sts;
