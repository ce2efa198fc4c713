//! Themes: JSON files naming a colour for each role (`themes/dark.json`, `light.json`,
//! `high-contrast.json` ship built in). `NO_COLOR` turns every colour off; focus, selection
//! and matches are then shown by bold, thick borders and reverse video.

use ratatui::style::{Color, Modifier, Style};
use std::path::{Path, PathBuf};
use std::str::FromStr;

macro_rules! roles {
    ($($role:ident = $name:literal),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Role { $($role),* }
        const ROLES: &[(Role, &str)] = &[$((Role::$role, $name)),*];
    };
}

roles! {
    Accent = "accent", Focus = "focus", Muted = "muted", Text = "text", Error = "error",
    Warning = "warning", Ok = "ok", Selection = "selection", Match = "match",
    MethodGet = "method.get", MethodPost = "method.post", MethodPut = "method.put",
    MethodDelete = "method.delete", MethodOther = "method.other",
    Status2xx = "status.2xx", Status3xx = "status.3xx", Status4xx = "status.4xx",
    Status5xx = "status.5xx", JsonKey = "json.key", JsonString = "json.string",
    JsonNumber = "json.number", JsonLiteral = "json.literal", Punctuation = "punctuation",
    XmlTag = "xml.tag", XmlAttribute = "xml.attribute", DiffOurs = "diff.ours",
    DiffServer = "diff.server", Dirty = "dirty",
}

const BUILT_IN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.json")),
    ("light", include_str!("../../themes/light.json")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.json"),
    ),
];

#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    colors: Vec<Color>,
    /// `NO_COLOR`: styles carry modifiers only.
    pub mono: bool,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    colors: std::collections::BTreeMap<String, String>,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::parse(BUILT_IN[0].1).expect("the built-in dark theme parses")
    }
}

impl Theme {
    /// Parses a theme file; roles it leaves out come from the dark theme.
    pub fn parse(text: &str) -> Result<Theme, String> {
        let file: ThemeFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut colors = vec![Color::Reset; ROLES.len()];
        if file.name != "dark" {
            colors = Theme::default().colors;
        }
        for (key, value) in &file.colors {
            let i = ROLES.iter().position(|(_, n)| n == key).ok_or_else(|| {
                format!(
                    "unknown colour role '{key}' (roles: {})",
                    ROLES.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
                )
            })?;
            colors[i] = Color::from_str(value).map_err(|_| {
                format!("'{value}' for '{key}' is not a colour (a name or #rrggbb)")
            })?;
        }
        Ok(Theme {
            name: file.name,
            colors,
            mono: false,
        })
    }

    /// `--theme` (a name or a path), else the config's theme, else dark. Names are looked up
    /// in `./themes`, then `<config dir>/themes`, then the built-in ones.
    pub fn load(choice: Option<&str>, config_dir: &Path) -> Result<Theme, String> {
        let name = choice.unwrap_or("dark");
        let text = if name.ends_with(".json") || name.contains('/') {
            std::fs::read_to_string(name).map_err(|e| format!("theme {name}: {e}"))?
        } else {
            let candidates: [PathBuf; 2] = [
                Path::new("themes").join(format!("{name}.json")),
                config_dir.join("themes").join(format!("{name}.json")),
            ];
            match candidates.iter().find_map(|p| std::fs::read_to_string(p).ok()) {
                Some(t) => t,
                None => BUILT_IN
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, t)| t.to_string())
                    .ok_or_else(|| {
                        format!(
                            "no theme '{name}' (built in: dark, light, high-contrast; or a path to a .json file)"
                        )
                    })?,
            }
        };
        Theme::parse(&text).map_err(|e| format!("theme {name}: {e}"))
    }

    pub fn no_color(mut self) -> Self {
        self.mono = true;
        self
    }

    pub fn color(&self, role: Role) -> Color {
        if self.mono {
            Color::Reset
        } else {
            self.colors[role as usize]
        }
    }

    pub fn fg(&self, role: Role) -> Style {
        if self.mono {
            Style::default()
        } else {
            Style::default().fg(self.color(role))
        }
    }

    /// The selected row: a background colour, or reverse video without colour.
    pub fn selected(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().bg(self.color(Role::Selection))
        }
    }

    pub fn matched(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        } else {
            Style::default().bg(self.color(Role::Match))
        }
    }

    pub fn method(&self, m: &str) -> Style {
        self.fg(match m {
            "GET" => Role::MethodGet,
            "POST" => Role::MethodPost,
            "PUT" | "PATCH" => Role::MethodPut,
            "DELETE" => Role::MethodDelete,
            _ => Role::MethodOther,
        })
    }

    pub fn status(&self, s: u16) -> Style {
        self.fg(match s {
            200..=299 => Role::Status2xx,
            300..=399 => Role::Status3xx,
            400..=499 => Role::Status4xx,
            _ => Role::Status5xx,
        })
        .add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_themes_parse_and_set_every_role() {
        for (name, text) in BUILT_IN {
            let t = Theme::parse(text).unwrap();
            assert_eq!(&t.name, name);
            let file: ThemeFile = serde_json::from_str(text).unwrap();
            assert_eq!(file.colors.len(), ROLES.len(), "{name} leaves a role out");
        }
        assert_ne!(
            Theme::load(Some("light"), Path::new("/nonexistent"))
                .unwrap()
                .color(Role::Accent),
            Theme::default().color(Role::Accent)
        );
    }

    #[test]
    fn bad_themes_say_what_is_wrong_and_no_color_drops_colours() {
        let e = Theme::parse(r#"{"name":"x","colors":{"acent":"red"}}"#).unwrap_err();
        assert!(e.contains("unknown colour role 'acent'"), "{e}");
        let e = Theme::parse(r#"{"name":"x","colors":{"accent":"reddish"}}"#).unwrap_err();
        assert!(e.contains("not a colour"), "{e}");
        assert!(Theme::load(Some("nope"), Path::new("/nonexistent"))
            .unwrap_err()
            .contains("no theme 'nope'"));
        let mono = Theme::default().no_color();
        assert_eq!(mono.fg(Role::Error), Style::default());
        assert!(mono.selected().add_modifier.contains(Modifier::REVERSED));
    }
}
