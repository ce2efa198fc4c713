//! Keys to actions, once, at the edge. Defaults are below; a user file
//! (`<config dir>/keymap.json`, `{ "send": "ctrl-enter", "quit": ["q", "ctrl-q"] }`) replaces
//! the keys of the actions it names. The footer and the `?` overlay are generated from it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies; pane bindings win over global ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Tree,
    Request,
    Response,
    History,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Send,
    Cancel,
    NextPane,
    PrevPane,
    ToggleInspector,
    Help,
    Quit,
    Save,
    Doctor,
    CopyCurl,
    Environment,
    Profile,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    Enter,
    Filter,
    NewRequest,
    NewFolder,
    Rename,
    Duplicate,
    Delete,
    Move,
    PrevTab,
    NextTab,
    Toggle,
    AddRow,
    DeleteRow,
    EditExternal,
    Search,
    NextMatch,
    PrevMatch,
    Wrap,
    ViewMode,
    JqFilter,
    Headers,
}

pub struct Def {
    pub action: Action,
    /// The name in the keymap file.
    pub name: &'static str,
    pub desc: &'static str,
    pub context: Context,
    pub keys: &'static [&'static str],
    pub footer: bool,
}

macro_rules! defs {
    ($(($action:ident, $name:literal, $ctx:ident, [$($key:literal),*], $footer:literal, $desc:literal)),* $(,)?) => {
        pub const DEFS: &[Def] = &[$(Def {
            action: Action::$action, name: $name, desc: $desc, context: Context::$ctx,
            keys: &[$($key),*], footer: $footer,
        }),*];
    };
}

defs! {
    (Send, "send", Global, ["ctrl-r"], true, "send the request"),
    (Cancel, "cancel", Global, ["esc"], false, "cancel the send / close"),
    (NextPane, "next_pane", Global, ["tab"], true, "next pane"),
    (PrevPane, "prev_pane", Global, ["backtab"], false, "previous pane"),
    (ToggleInspector, "inspector", Global, ["i"], true, "signing inspector on/off"),
    (Help, "help", Global, ["?"], true, "every key"),
    (Quit, "quit", Global, ["q", "ctrl-c"], true, "quit"),
    (Save, "save", Global, ["ctrl-s"], true, "save the collection"),
    (Doctor, "doctor", Global, ["d"], false, "check the signed call step by step"),
    (CopyCurl, "copy_curl", Global, ["y"], false, "copy as curl (OSC 52)"),
    (Environment, "environment", Global, ["E"], false, "switch environment"),
    (Profile, "profile", Global, ["P"], false, "switch AWS profile"),
    (Up, "up", Global, ["up", "k"], false, "up"),
    (Down, "down", Global, ["down", "j"], false, "down"),
    (PageUp, "page_up", Global, ["pageup"], false, "page up"),
    (PageDown, "page_down", Global, ["pagedown"], false, "page down"),
    (Top, "top", Global, ["home", "g"], false, "top"),
    (Bottom, "bottom", Global, ["end", "G"], false, "bottom"),
    (Left, "left", Global, ["left", "h"], false, "left: previous column / tab, scroll left"),
    (Right, "right", Global, ["right", "l"], false, "right: next column / tab, scroll right"),
    (Enter, "enter", Global, ["enter"], false, "open / edit / choose"),
    (Filter, "filter", Tree, ["/"], true, "filter requests"),
    (NewRequest, "new_request", Tree, ["a"], true, "new request"),
    (NewFolder, "new_folder", Tree, ["A"], false, "new folder"),
    (Rename, "rename", Tree, ["r"], false, "rename"),
    (Duplicate, "duplicate", Tree, ["c"], false, "duplicate"),
    (Delete, "delete", Tree, ["x", "delete"], false, "delete"),
    (Move, "move", Tree, ["m"], false, "move to a folder"),
    (PrevTab, "prev_tab", Request, ["["], false, "previous tab"),
    (NextTab, "next_tab", Request, ["]"], true, "next tab"),
    (Toggle, "toggle", Request, ["space"], true, "toggle row / cycle value"),
    (AddRow, "add_row", Request, ["a"], true, "add a row"),
    (DeleteRow, "delete_row", Request, ["x", "delete"], false, "delete the row"),
    (EditExternal, "edit_external", Request, ["e"], true, "edit the body in $EDITOR"),
    (Search, "search", Response, ["/"], true, "search the body"),
    (NextMatch, "next_match", Response, ["n"], false, "next match"),
    (PrevMatch, "prev_match", Response, ["N"], false, "previous match"),
    (Wrap, "wrap", Response, ["w"], true, "wrap lines"),
    (ViewMode, "view", Response, ["v"], true, "pretty / raw / hex"),
    (JqFilter, "jq", Response, ["f"], true, "jq filter"),
    (Headers, "headers", Response, ["H"], false, "response headers"),
}

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

    pub fn action(&self, ev: KeyEvent, context: Context) -> Option<Action> {
        let key = Key::of(ev);
        let find = |ctx: Context| {
            self.bindings
                .iter()
                .find(|(k, a, _)| *k == key && def(*a).context == ctx)
                .map(|(_, a, _)| *a)
        };
        (context != Context::Global)
            .then(|| find(context))
            .flatten()
            .or_else(|| find(Context::Global))
    }

    /// The keys bound to an action, as written (`ctrl-r`, `q`).
    pub fn keys(&self, action: Action) -> Vec<&str> {
        self.bindings
            .iter()
            .filter(|(_, a, _)| *a == action)
            .map(|(_, _, s)| s.as_str())
            .collect()
    }

    /// The footer for a context: its own footer bindings, then the global ones.
    pub fn hints(&self, context: Context) -> Vec<(String, &'static str)> {
        DEFS.iter()
            .filter(|d| d.footer && (d.context == context || d.context == Context::Global))
            .filter_map(|d| {
                let keys = self.keys(d.action);
                (!keys.is_empty()).then(|| (keys[0].to_string(), d.desc))
            })
            .collect()
    }
}

pub fn def(action: Action) -> &'static Def {
    DEFS.iter()
        .find(|d| d.action == action)
        .expect("every action has a definition")
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
            m.hints(Context::Tree)[0],
            ("f5".to_string(), "send the request")
        );
    }
}
