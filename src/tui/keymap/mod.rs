//! Keys to actions, once, at the edge. Defaults are in `defs`; a user file
//! (`<config dir>/keymap.json`, `{ "send": "ctrl-enter", "quit": ["q", "ctrl-q"] }`) replaces
//! the keys of the actions it names, in every context the action applies in. Footer hints,
//! prompt titles and the `?` overlay ask this map for the keys they show.

mod defs;

pub use defs::{def, short, Action, Context, Def, DEFS};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    code: KeyCode,
    mods: KeyModifiers,
}

impl Key {
    fn of(ev: KeyEvent) -> Key {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        // Shift is part of the character ('G', '?') and of BackTab.
        if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        let code = match ev.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Key { code, mods }
    }
}

/// Parses `ctrl-r`, `alt-x`, `shift-up`, `f5`, `pagedown`, `space`, `G`, `?`.
pub fn parse_key(spec: &str) -> Result<Key, String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = spec;
    loop {
        let lower = rest.to_ascii_lowercase();
        let (m, len) = if lower.starts_with("ctrl-") {
            (KeyModifiers::CONTROL, 5)
        } else if lower.starts_with("alt-") {
            (KeyModifiers::ALT, 4)
        } else if lower.starts_with("shift-") && rest.len() > 6 {
            (KeyModifiers::SHIFT, 6)
        } else {
            break;
        };
        mods |= m;
        rest = &rest[len..];
    }
    let code = match rest.to_ascii_lowercase().as_str() {
        "esc" | "escape" => KeyCode::Esc,
        "enter" | "return" => KeyCode::Enter,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "delete" | "del" => KeyCode::Delete,
        "backspace" => KeyCode::Backspace,
        "insert" => KeyCode::Insert,
        "space" => KeyCode::Char(' '),
        f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
            KeyCode::F(f[1..].parse().unwrap_or(1))
        }
        _ if rest.chars().count() == 1 => {
            let c = rest.chars().next().unwrap_or(' ');
            KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else {
                c
            })
        }
        _ => {
            return Err(format!(
                "'{spec}' is not a key (examples: ctrl-r, f5, pagedown, G)"
            ))
        }
    };
    if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
        mods.remove(KeyModifiers::SHIFT);
    }
    Ok(Key { code, mods })
}

#[derive(Debug, Clone)]
pub struct KeyMap {
    /// (key, action, its spelling for hints)
    bindings: Vec<(Key, Action, String)>,
}

impl Default for KeyMap {
    fn default() -> Self {
        let bindings = DEFS
            .iter()
            .flat_map(|d| {
                d.keys.iter().map(|k| {
                    (
                        parse_key(k).expect("default keys parse"),
                        d.action,
                        k.to_string(),
                    )
                })
            })
            .collect();
        KeyMap { bindings }
    }
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

impl KeyMap {
    /// The defaults with a user file's replacements; problems are returned as warnings and
    /// the rest of the file still applies.
    pub fn with_overrides(text: &str) -> (KeyMap, Vec<String>) {
        let mut map = KeyMap::default();
        let mut warnings = Vec::new();
        let file: std::collections::BTreeMap<String, Keys> = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(e) => return (map, vec![format!("keymap: {e}; using the default keys")]),
        };
        for (name, keys) in file {
            let Some(def) = DEFS.iter().find(|d| d.name == name) else {
                warnings.push(format!(
                    "keymap: unknown action '{name}' (actions: {})",
                    DEFS.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")
                ));
                continue;
            };
            let keys = match keys {
                Keys::One(k) => vec![k],
                Keys::Many(ks) => ks,
            };
            let mut parsed = Vec::new();
            for k in keys {
                match parse_key(&k) {
                    Ok(key) => parsed.push((key, def.action, k)),
                    Err(e) => warnings.push(format!("keymap: {name}: {e}")),
                }
            }
            if !parsed.is_empty() {
                map.bindings.retain(|(_, a, _)| *a != def.action);
                map.bindings.extend(parsed);
            }
        }
        (map, warnings)
    }

    /// The action a key means in a context: the context's own bindings, then (in a pane)
    /// the global ones. A question also takes its answers in capitals.
    pub fn action(&self, ev: KeyEvent, context: Context) -> Option<Action> {
        let key = Key::of(ev);
        let find = |ctx: Context, key: Key| {
            self.bindings
                .iter()
                .find(|(k, a, _)| *k == key && def(*a).contexts.contains(&ctx))
                .map(|(_, a, _)| *a)
        };
        find(context, key)
            .or_else(|| {
                let lower = match key.code {
                    KeyCode::Char(c) if context == Context::Confirm && c.is_uppercase() => Key {
                        code: KeyCode::Char(c.to_ascii_lowercase()),
                        ..key
                    },
                    _ => return None,
                };
                find(context, lower)
            })
            .or_else(|| {
                context
                    .falls_back()
                    .then(|| find(Context::Global, key))
                    .flatten()
            })
    }

    /// The keys bound to an action, as written (`ctrl-r`, `q`).
    pub fn keys(&self, action: Action) -> Vec<&str> {
        self.bindings
            .iter()
            .filter(|(_, a, _)| *a == action)
            .map(|(_, _, s)| s.as_str())
            .collect()
    }

    /// The key shown for an action in hints: its first, or a note that it has none.
    pub fn key(&self, action: Action) -> &str {
        self.keys(action).first().copied().unwrap_or("(unbound)")
    }

    /// The footer actions of a context: its own first, then (for a pane) the global ones it
    /// does not bind itself.
    pub fn footer(&self, context: Context) -> Vec<Action> {
        let own = DEFS
            .iter()
            .filter(|d| d.footer && d.contexts.contains(&context));
        let global = DEFS.iter().filter(|d| {
            d.footer
                && context.falls_back()
                && d.contexts.contains(&Context::Global)
                && !d.contexts.contains(&context)
        });
        own.chain(global).map(|d| d.action).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_resolve_by_context() {
        let m = KeyMap::default();
        let slash = key(KeyCode::Char('/'), KeyModifiers::NONE);
        assert_eq!(m.action(slash, Context::Tree), Some(Action::Filter));
        assert_eq!(m.action(slash, Context::Response), Some(Action::Search));
        assert_eq!(
            m.action(
                key(KeyCode::Char('r'), KeyModifiers::CONTROL),
                Context::Request
            ),
            Some(Action::Send)
        );
        assert_eq!(
            m.action(
                key(KeyCode::Char('G'), KeyModifiers::SHIFT),
                Context::Response
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            m.action(key(KeyCode::BackTab, KeyModifiers::SHIFT), Context::Tree),
            Some(Action::PrevPane)
        );
        assert_eq!(
            m.action(key(KeyCode::Char('z'), KeyModifiers::NONE), Context::Tree),
            None
        );
    }

    #[test]
    fn a_user_file_replaces_keys_and_reports_mistakes() {
        let (m, warnings) = KeyMap::with_overrides(
            r#"{"send": "f5", "quit": ["ctrl-q"], "sned": "x", "help": "ctrl-nope"}"#,
        );
        assert_eq!(
            m.action(key(KeyCode::F(5), KeyModifiers::NONE), Context::Tree),
            Some(Action::Send)
        );
        assert_eq!(
            m.action(
                key(KeyCode::Char('r'), KeyModifiers::CONTROL),
                Context::Tree
            ),
            None,
            "the default is replaced"
        );
        assert_eq!(
            m.action(key(KeyCode::Char('q'), KeyModifiers::NONE), Context::Tree),
            None
        );
        assert_eq!(
            m.action(
                key(KeyCode::Char('q'), KeyModifiers::CONTROL),
                Context::Tree
            ),
            Some(Action::Quit)
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].contains("unknown action 'sned'")
                || warnings[1].contains("unknown action 'sned'")
        );
        // help keeps its default since its only key was bad
        assert_eq!(m.keys(Action::Help), vec!["?"]);
        assert_eq!(
            m.footer(Context::Tree)[0],
            Action::Filter,
            "the pane's own keys first"
        );
        assert!(m.footer(Context::Tree).contains(&Action::Send));
        assert_eq!(m.key(Action::Send), "f5");
    }

    #[test]
    fn text_contexts_see_only_their_own_keys() {
        let m = KeyMap::default();
        let plain = |c| key(KeyCode::Char(c), KeyModifiers::NONE);
        // A letter typed into a field or a prompt is a letter, not a command.
        for ctx in [Context::Field, Context::Prompt] {
            assert_eq!(m.action(plain('q'), ctx), None);
            assert_eq!(m.action(plain('j'), ctx), None);
        }
        assert_eq!(
            m.action(
                key(KeyCode::Char('r'), KeyModifiers::CONTROL),
                Context::Field
            ),
            Some(Action::Send)
        );
        assert_eq!(
            m.action(
                key(KeyCode::Char('r'), KeyModifiers::CONTROL),
                Context::Prompt
            ),
            None
        );
        assert_eq!(
            m.action(key(KeyCode::Esc, KeyModifiers::NONE), Context::Field),
            Some(Action::Done)
        );
        // Questions take their letters, in either case; lists move with j/k.
        assert_eq!(
            m.action(plain('d'), Context::Confirm),
            Some(Action::Discard)
        );
        assert_eq!(
            m.action(plain('D'), Context::Confirm),
            Some(Action::Discard)
        );
        assert_eq!(m.action(plain('d'), Context::Tree), Some(Action::Doctor));
        assert_eq!(m.action(plain('j'), Context::Picker), Some(Action::Down));
        assert_eq!(
            m.action(key(KeyCode::Enter, KeyModifiers::NONE), Context::Confirm),
            Some(Action::Yes)
        );
        assert_eq!(
            m.action(plain('t'), Context::Inspector),
            Some(Action::Reveal)
        );
        assert_eq!(m.action(plain('t'), Context::Tree), None);
    }
}
