//! Every action the workbench knows, the contexts its keys apply in, and its default keys:
//! the one table the keymap, the footer hints, prompts and the `?` overlay are made from
//! (yazi's `keymap-default.toml` layers, gitui's `commands()`).

/// Where a binding applies. A pane's context falls back to `Global` for keys it does not
/// bind; the others (a text field, a prompt, a question, a list, the help) see only the
/// bindings that name them, so a letter typed into a field is a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Tree,
    Request,
    Response,
    History,
    Inspector,
    /// The settings of a collection, a folder or an environment, in the editor's place.
    Settings,
    /// The first screen when no collection is open.
    Welcome,
    /// A request field being typed into.
    Field,
    /// A one-line text prompt (filter, search, jq, rename, save as, variables).
    Prompt,
    /// A question with lettered answers.
    Confirm,
    /// A list to choose from (environment, profile, folder).
    Picker,
    Help,
    /// The sign-in dialog (an IAM Identity Center login).
    Login,
    /// The copy menu: the selected request in every export format.
    Export,
    /// Importing from an AWS account: a profile, a region, the APIs to import.
    Account,
}

impl Context {
    /// Unmatched keys in a pane go to the global bindings.
    pub fn falls_back(self) -> bool {
        matches!(
            self,
            Context::Tree
                | Context::Request
                | Context::Response
                | Context::History
                | Context::Inspector
                | Context::Settings
                | Context::Welcome
        )
    }

    /// The heading of its section in the `?` overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Tree => "Collections",
            Context::Request => "Request editor",
            Context::Response => "Response",
            Context::History => "History",
            Context::Inspector => "Signing inspector",
            Context::Settings => "Collection, folder and environment settings",
            Context::Welcome => "Welcome (no collection yet)",
            Context::Field => "Typing into a field",
            Context::Prompt => "Text prompts",
            Context::Confirm => "Questions",
            Context::Picker => "Lists",
            Context::Help => "This help",
            Context::Login => "Sign-in dialog",
            Context::Export => "Copy / export menu",
            Context::Account => "Import from an AWS account",
        }
    }

    pub const ALL: [Context; 16] = [
        Context::Global,
        Context::Welcome,
        Context::Tree,
        Context::Request,
        Context::Settings,
        Context::Response,
        Context::History,
        Context::Inspector,
        Context::Field,
        Context::Prompt,
        Context::Confirm,
        Context::Picker,
        Context::Help,
        Context::Login,
        Context::Export,
        Context::Account,
    ];
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
    Reveal,
    /// Leave the field being typed into (its value stays).
    Done,
    Yes,
    No,
    SaveAnswer,
    Discard,
    Overwrite,
    Reload,
    /// Keep your edits when the file changed on disk (the reload question).
    Keep,
    Undo,
    Redo,
    ClearField,
    /// In a table: the next cell (name → value → next row's name).
    NextCell,
    PrevCell,
    NewCollection,
    Import,
    OpenDemo,
    /// Marks a history entry to compare with another.
    Mark,
    Compare,
    /// The sign-in dialog's URL to the clipboard.
    CopyUrl,
    /// The sign-in dialog's URL in the browser (again).
    OpenBrowser,
    /// After an access-denied: ask IAM's policy simulator which statement decides.
    Why,
    /// The copy menu: every export format of the selected request.
    CopyAs,
    /// The copy menu's snippet into a file instead of the clipboard.
    WriteFile,
    /// The APIs an AWS account holds, picked and imported.
    ImportAws,
}

pub struct Def {
    pub action: Action,
    /// The name in the keymap file.
    pub name: &'static str,
    pub desc: &'static str,
    pub contexts: &'static [Context],
    pub keys: &'static [&'static str],
    /// Shown in the footer of the contexts it names (and of every pane, when global).
    pub footer: bool,
}

macro_rules! defs {
    ($(($action:ident, $name:literal, [$($ctx:ident),*], [$($key:literal),*], $footer:literal, $desc:literal)),* $(,)?) => {
        pub const DEFS: &[Def] = &[$(Def {
            action: Action::$action, name: $name, desc: $desc,
            contexts: &[$(Context::$ctx),*], keys: &[$($key),*], footer: $footer,
        }),*];
    };
}

defs! {
    (Send, "send", [Global, Field], ["ctrl-r"], true, "send the request"),
    (Cancel, "cancel", [Global, Prompt, Confirm, Picker, Help, Login, Export, Account], ["esc"], false, "cancel the send / close"),
    (NextPane, "next_pane", [Global], ["tab"], true, "next pane"),
    (PrevPane, "prev_pane", [Global], ["backtab"], false, "previous pane"),
    (ToggleInspector, "inspector", [Global], ["i"], true, "signing inspector on/off"),
    (Help, "help", [Global, Help], ["?"], true, "every key"),
    (Quit, "quit", [Global, Help], ["q", "ctrl-c"], true, "quit"),
    (Save, "save", [Global, Field], ["ctrl-s"], true, "save the collection"),
    (Doctor, "doctor", [Global], ["d"], false, "check the signed call step by step"),
    (Why, "why", [Global], ["W"], false, "why denied? ask IAM's policy simulator"),
    (CopyCurl, "copy_curl", [Global], ["y"], false, "copy as curl (OSC 52)"),
    (CopyAs, "copy_as", [Global], ["Y"], false, "copy as… every export format (curl, Python, JS, Go...)"),
    (Environment, "environment", [Global], ["E"], false, "switch environment"),
    (Profile, "profile", [Global], ["P"], false, "switch AWS profile"),
    (Up, "up", [Global, Picker, Help, Export, Account], ["up", "k"], false, "up"),
    (Down, "down", [Global, Picker, Help, Export, Account], ["down", "j"], false, "down"),
    (PageUp, "page_up", [Global, Picker, Help, Export, Account], ["pageup"], false, "page up"),
    (PageDown, "page_down", [Global, Picker, Help, Export, Account], ["pagedown"], false, "page down"),
    (Top, "top", [Global, Picker, Help, Export, Account], ["home", "g"], false, "top"),
    (Bottom, "bottom", [Global, Picker, Help, Export, Account], ["end", "G"], false, "bottom"),
    (Left, "left", [Global], ["left", "h"], false, "left: previous column / tab, scroll left"),
    (Right, "right", [Global], ["right", "l"], false, "right: next column / tab, scroll right"),
    (Enter, "enter", [Global, Field, Prompt, Picker, Login, Export, Account], ["enter"], false, "open / edit / choose / accept"),
    (Filter, "filter", [Tree], ["/"], true, "filter requests"),
    (NewRequest, "new_request", [Tree], ["a"], true, "new request"),
    (NewFolder, "new_folder", [Tree], ["A"], false, "new folder"),
    (Rename, "rename", [Tree, Settings], ["r"], false, "rename"),
    (Duplicate, "duplicate", [Tree, Settings], ["c"], false, "duplicate"),
    (Delete, "delete", [Tree, Settings], ["x", "delete"], false, "delete"),
    (Move, "move", [Tree], ["m"], false, "move to a folder"),
    (PrevTab, "prev_tab", [Request, Settings], ["["], false, "previous tab"),
    (NextTab, "next_tab", [Request, Settings], ["]"], true, "next tab"),
    (Toggle, "toggle", [Request, Settings, Account], ["space"], true, "toggle row / cycle value"),
    (AddRow, "add_row", [Request, Settings], ["a"], true, "add a row"),
    (DeleteRow, "delete_row", [Request, Settings], ["x", "delete"], false, "delete the row"),
    (EditExternal, "edit_external", [Request], ["e"], true, "edit the body in $EDITOR"),
    (Search, "search", [Response], ["/"], true, "search the body"),
    (NextMatch, "next_match", [Response], ["n"], false, "next match"),
    (PrevMatch, "prev_match", [Response], ["N"], false, "previous match"),
    (Wrap, "wrap", [Response], ["w"], true, "wrap lines"),
    (ViewMode, "view", [Response], ["v"], true, "pretty / raw / hex"),
    (JqFilter, "jq", [Response], ["f"], true, "jq filter"),
    (Headers, "headers", [Response], ["H"], false, "response headers"),
    (Reveal, "reveal", [Inspector], ["t"], true, "show / hide the session token"),
    (Done, "done", [Field], ["esc"], true, "stop editing (twice drops an invalid edit)"),
    (Yes, "yes", [Confirm], ["y", "enter"], false, "yes"),
    (No, "no", [Confirm], ["n"], false, "no"),
    (SaveAnswer, "answer_save", [Confirm], ["s"], false, "save (then quit)"),
    (Discard, "discard", [Confirm], ["d"], false, "discard the edits (then quit)"),
    (Overwrite, "overwrite", [Confirm], ["o"], false, "overwrite the file with yours"),
    (Reload, "reload", [Confirm], ["r"], false, "reload the file (drop your edits)"),
    (Keep, "keep", [Confirm], ["k"], false, "keep your edits (the file stays as it is on disk)"),
    (Undo, "undo", [Field, Prompt], ["ctrl-z"], false, "undo the last edit"),
    (Redo, "redo", [Field, Prompt], ["ctrl-y"], false, "redo"),
    (ClearField, "clear_field", [Field, Prompt], ["ctrl-u"], false, "clear the field"),
    (NextCell, "next_cell", [Field], ["tab"], true, "next cell / row"),
    (PrevCell, "prev_cell", [Field], ["backtab"], false, "previous cell / row"),
    (NewCollection, "new_collection", [Welcome, Tree], ["n"], false, "new collection"),
    (Import, "import", [Welcome, Tree], ["o"], false, "import a file (Postman, curl, OpenAPI...)"),
    (ImportAws, "import_aws", [Welcome, Tree], ["O"], false, "import from an AWS account (API Gateway, Lambda URLs)"),
    (OpenDemo, "open_demo", [Welcome, Tree], ["D"], false, "open the demo (a local gateway)"),
    (Mark, "mark", [History], ["space"], true, "mark an exchange to compare"),
    (Compare, "compare", [History], ["c"], true, "compare with the marked (or the older) exchange"),
    (CopyUrl, "copy_url", [Login], ["c"], false, "copy the sign-in URL (OSC 52)"),
    (OpenBrowser, "open_browser", [Login], ["o"], false, "open the sign-in URL in a browser"),
    (WriteFile, "write_file", [Export], ["w"], false, "write the snippet to a file instead"),
}

/// The footer's shorter word for an action, where its description is long.
pub fn short(action: Action) -> &'static str {
    match action {
        Action::Send => "send",
        Action::ToggleInspector => "inspector",
        Action::Help => "help",
        Action::Save => "save",
        Action::NextMatch => "next",
        Action::EditExternal => "$EDITOR",
        Action::Toggle => "on/off",
        Action::ViewMode => "view",
        Action::Mark => "mark",
        Action::Compare => "compare",
        Action::Done => "done",
        Action::NextCell => "next cell",
        _ => def(action).desc,
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

    #[test]
    fn names_are_unique_and_every_context_has_bindings() {
        let mut names: Vec<&str> = DEFS.iter().map(|d| d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DEFS.len(), "a keymap name is used twice");
        for ctx in Context::ALL {
            if ctx == Context::History {
                continue; // the history list moves with the global keys
            }
            assert!(
                DEFS.iter().any(|d| d.contexts.contains(&ctx)),
                "{ctx:?} binds nothing"
            );
        }
    }
}
