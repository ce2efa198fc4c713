//! The user's settings: `<config dir>/config.json` (`{ "theme": "light" }`), the keymap file
//! beside it, `--theme`, and `NO_COLOR`. Problems become a notice; the defaults still apply.

use super::app::{App, Level};
use super::keymap::KeyMap;
use super::theme::Theme;
use std::path::PathBuf;

/// `SIGSCOPE_CONFIG_DIR`, else the platform's (`~/.config/sigscope` on Linux).
pub fn config_dir() -> PathBuf {
    std::env::var_os("SIGSCOPE_CONFIG_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("", "", "sigscope").map(|d| d.config_dir().to_path_buf())
        })
        .unwrap_or_else(|| PathBuf::from(".sigscope"))
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Config {
    theme: Option<String>,
}

/// Applies theme and keymap to the app; returns nothing, problems go to the notice line.
pub fn apply(app: &mut App, theme_arg: Option<&str>) {
    let dir = config_dir();
    let mut problems = Vec::new();
    let config: Config = match std::fs::read_to_string(dir.join("config.json")) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            problems.push(format!("{}: {e}", dir.join("config.json").display()));
            Config::default()
        }),
        Err(_) => Config::default(),
    };
    let choice = theme_arg.map(str::to_string).or(config.theme);
    app.theme = Theme::load(choice.as_deref(), &dir).unwrap_or_else(|e| {
        problems.push(e);
        Theme::default()
    });
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        app.theme = app.theme.clone().no_color();
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("keymap.json")) {
        let (map, warnings) = KeyMap::with_overrides(&text);
        app.keymap = map;
        problems.extend(warnings);
    }
    if !problems.is_empty() {
        app.notify(Level::Warning, problems.join("; "));
    }
}
