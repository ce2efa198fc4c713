//! STS GetCallerIdentity, sent through our own engine.
