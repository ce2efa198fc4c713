//! Basic auth: a user name and a password, the password written as a variable reference
//! (`{{$env.API_PASSWORD}}`) so that it never lands in the collection.

use super::AuthKind;
use crate::model::Auth;
use crate::tui::panes::request::RowKind;

const USERNAME: RowKind = RowKind::Field(1);
const PASSWORD: RowKind = RowKind::Field(2);

pub struct Basic;

impl AuthKind for Basic {
    fn name(&self) -> &'static str {
        "basic"
    }

    fn is(&self, auth: &Auth) -> bool {
        matches!(auth, Auth::Basic { .. })
    }

    fn fresh(&self) -> Auth {
        Auth::Basic {
            username: "{{username}}".into(),
            password: "{{$env.API_PASSWORD}}".into(),
        }
    }

    fn rows(&self) -> Vec<RowKind> {
        vec![USERNAME, PASSWORD]
    }

    fn label(&self, row: RowKind) -> &'static str {
        if row == USERNAME {
            "Username"
        } else {
            "Password"
        }
    }

    fn get(&self, auth: &Auth, row: RowKind) -> String {
        match auth {
            Auth::Basic { username, .. } if row == USERNAME => username.clone(),
            Auth::Basic { password, .. } => password.clone(),
            _ => String::new(),
        }
    }

    fn set(&self, auth: &mut Auth, row: RowKind, value: &str) -> Result<(), String> {
        if let Auth::Basic { username, password } = auth {
            let field = if row == USERNAME { username } else { password };
            *field = value.trim().to_string();
        }
        Ok(())
    }
}
