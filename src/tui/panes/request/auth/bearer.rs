//! Bearer auth: a token, written as a variable reference (`{{$env.API_TOKEN}}`) so that the
//! token itself never lands in the collection.

use super::AuthKind;
use crate::model::Auth;
use crate::tui::panes::request::RowKind;

const TOKEN: RowKind = RowKind::Field(1);

pub struct Bearer;

impl AuthKind for Bearer {
    fn name(&self) -> &'static str {
        "bearer"
    }

    fn is(&self, auth: &Auth) -> bool {
        matches!(auth, Auth::Bearer { .. })
    }

    fn fresh(&self) -> Auth {
        Auth::Bearer {
            token: "{{$env.API_TOKEN}}".into(),
        }
    }

    fn rows(&self) -> Vec<RowKind> {
        vec![TOKEN]
    }

    fn label(&self, _row: RowKind) -> &'static str {
        "Token"
    }

    fn get(&self, auth: &Auth, _row: RowKind) -> String {
        match auth {
            Auth::Bearer { token } => token.clone(),
            _ => String::new(),
        }
    }

    fn set(&self, auth: &mut Auth, _row: RowKind, value: &str) -> Result<(), String> {
        if let Auth::Bearer { token } = auth {
            *token = value.trim().to_string();
        }
        Ok(())
    }
}
