//! Input that is not a plain keymap action: keys typed into a field or a prompt, the mouse,
//! and the actions of the tree and the request editor.

use super::app::{
    Action, App, Command, Confirm, Level, Pane, Pick, Prompt, RequestState, TextPurpose,
};
use super::editor::{self, Editing, RowKind, Tab, TABS};
use super::workspace::Node;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// A key while a prompt or a field has the keyboard.
pub fn key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    if app.prompt.is_some() {
        return prompt_key(app, k);
    }
    if app.editor.editing.is_some() {
        return field_key(app, k);
    }
    Vec::new()
}

fn ctrl(k: &KeyEvent, c: char) -> bool {
    k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char(c)
}

fn prompt_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    let Some(prompt) = app.prompt.take() else {
        return Vec::new();
    };
    match prompt {
        Prompt::Text {
            purpose,
            mut area,
            node,
        } => {
            let done = matches!(k.code, KeyCode::Enter);
            let cancel = matches!(k.code, KeyCode::Esc);
            if !done && !cancel {
                area.input(k);
            }
            let text = area.lines().join("");
            // The filter applies as it is typed.
            if purpose == TextPurpose::Filter {
                let keep = app.selected_node().cloned();
                app.ws.filter = if cancel { String::new() } else { text.clone() };
                app.ws.rebuild();
                let mut out = Vec::new();
                match keep.and_then(|n| app.ws.row_of(&n)) {
                    Some(i) => app.selected = i,
                    None => {
                        if let Some(i) = app
                            .ws
                            .rows
                            .iter()
                            .position(|r| matches!(r.node, Node::Request(_)))
                        {
                            app.selected = i;
                            out = app.selection_changed();
                        } else {
                            app.selected = 0;
                        }
                    }
                }
                if !done && !cancel {
                    app.prompt = Some(Prompt::Text {
                        purpose,
                        area,
                        node,
                    });
                }
                return out;
            }
            if cancel {
                if purpose == TextPurpose::SaveAs {
                    app.quit_after_save = false;
                }
                return Vec::new();
            }
            if !done {
                app.prompt = Some(Prompt::Text {
                    purpose,
                    area,
                    node,
                });
                return Vec::new();
            }
            match purpose {
                TextPurpose::Filter => unreachable!("handled above"),
                TextPurpose::Search => {
                    app.response.search = text;
                    return app.find(false, true);
                }
                TextPurpose::Jq => {
                    let RequestState::Done { body, .. } = &mut app.state else {
                        return Vec::new();
                    };
                    if text.trim().is_empty() || text.trim() == "." && body.jq.is_none() {
                        body.jq = None;
                        return Vec::new();
                    }
                    let raw = body.raw.clone();
                    app.notify(Level::Info, format!("jq {text} …"));
                    return vec![Command::Jq {
                        id: app.current_id(),
                        filter: text,
                        body: raw,
                    }];
                }
                TextPurpose::VarValue | TextPurpose::VarAdd => {
                    return variable_entered(app, purpose, &text)
                }
                TextPurpose::SaveAs => {
                    let (Some(node), path) = (node, text.trim()) else {
                        return Vec::new();
                    };
                    if path.is_empty() {
                        app.notify(Level::Error, "not saved: the file name is empty");
                        return Vec::new();
                    }
                    let doc = node.doc();
                    if let Some(d) = app.ws.docs.get_mut(doc) {
                        d.loaded.path = std::path::PathBuf::from(path);
                        d.persistent = true;
                    }
                    // An existing file is not overwritten without asking (the conflict prompt).
                    return app.save_command(doc, false).into_iter().collect();
                }
                TextPurpose::Rename => {
                    let Some(node) = node else { return Vec::new() };
                    match app.ws.rename(&node, &text) {
                        Ok(()) => {
                            let doc = node.doc();
                            // A renamed request keeps its place; the row label changes.
                            let mut out = app.changed(doc, true);
                            if let Some(i) = app.ws.row_of(&node) {
                                app.selected = i;
                            }
                            out.extend(app.selection_changed());
                            return out;
                        }
                        Err(e) => app.notify(Level::Error, e),
                    }
                }
            }
            Vec::new()
        }
        Prompt::Confirm { what, question } => {
            let answer = match k.code {
                KeyCode::Char(c) => Some(c.to_ascii_lowercase()),
                KeyCode::Enter => Some('y'),
                _ => None,
            };
            match (what.clone(), answer) {
                (_, None) if k.code == KeyCode::Esc => Vec::new(),
                (Confirm::QuitUnsaved, Some('s')) => app.save_all_then_quit(),
                (Confirm::QuitUnsaved, Some('d')) => {
                    let mut out: Vec<Command> = match app.drafts_dir.clone() {
                        Some(dir) => app
                            .ws
                            .docs
                            .iter()
                            .filter(|d| d.dirty && d.persistent)
                            .map(|d| Command::RemoveDraft {
                                dir: dir.clone(),
                                path: d.loaded.path.clone(),
                            })
                            .collect(),
                        None => Vec::new(),
                    };
                    app.should_quit = true;
                    out.push(Command::Quit);
                    out
                }
                (Confirm::Delete(node), Some('y')) => match app.ws.delete(&node) {
                    Ok(()) => {
                        let doc = node.doc();
                        app.selected = app.selected.min(app.ws.rows.len().saturating_sub(1));
                        let mut out = app.changed(doc, true);
                        out.extend(app.selection_changed());
                        out
                    }
                    Err(e) => {
                        app.notify(Level::Error, e);
                        Vec::new()
                    }
                },
                (Confirm::Delete(_) | Confirm::DeleteVariable, Some('n')) => Vec::new(),
                (Confirm::DeleteVariable, Some('y')) => {
                    let (Some(r), Some(v)) = (
                        app.selected_request().cloned(),
                        app.var_rows().into_iter().nth(app.editor.row),
                    ) else {
                        return Vec::new();
                    };
                    match app.ws.set_variable(&r, &v.level, &v.name, None) {
                        Ok(()) => {
                            app.notify(
                                Level::Info,
                                format!("removed {{{{{}}}}} ({})", v.name, v.source),
                            );
                            app.editor.row =
                                app.editor.row.min(app.var_rows().len().saturating_sub(1));
                            app.changed(r.doc, true)
                        }
                        Err(e) => {
                            app.notify(Level::Error, e);
                            Vec::new()
                        }
                    }
                }
                (Confirm::Conflict(doc), Some('o')) => {
                    app.save_command(doc, true).into_iter().collect()
                }
                (Confirm::Conflict(doc), Some('r')) => vec![Command::Reload {
                    doc,
                    path: app.ws.docs[doc].loaded.path.clone(),
                }],
                _ => {
                    app.prompt = Some(Prompt::Confirm { what, question });
                    Vec::new()
                }
            }
        }
        Prompt::Pick {
            what,
            title,
            items,
            mut selected,
        } => {
            match k.code {
                KeyCode::Esc => return Vec::new(),
                KeyCode::Up | KeyCode::Char('k') => selected = selected.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => {
                    selected = (selected + 1).min(items.len().saturating_sub(1))
                }
                KeyCode::Enter => return picked(app, what, &items, selected),
                _ => {}
            }
            app.prompt = Some(Prompt::Pick {
                what,
                title,
                items,
                selected,
            });
            Vec::new()
        }
    }
}

fn picked(app: &mut App, what: Pick, items: &[String], i: usize) -> Vec<Command> {
    match what {
        Pick::Environment(doc) => {
            if let Some(d) = app.ws.docs.get_mut(doc) {
                d.env = (i > 0).then(|| items[i].clone());
            }
            app.notify(Level::Info, format!("environment: {}", items[i]));
            app.refresh_preview();
            Vec::new()
        }
        Pick::Profile => {
            app.profile = (i > 0).then(|| items[i].clone());
            app.identity = None;
            app.refresh_preview();
            vec![Command::Identity {
                profile: app.profile.clone(),
            }]
        }
        Pick::Move(r, destinations) => {
            let Some((doc, folders)) = destinations.get(i).cloned() else {
                return Vec::new();
            };
            match app.ws.move_request(&r, doc, &folders) {
                Some(new) => {
                    let mut out = app.changed(r.doc, true);
                    if doc != r.doc {
                        out.extend(app.changed(doc, true));
                    }
                    out.extend(app.select_node(&Node::Request(new)));
                    out
                }
                None => {
                    app.notify(Level::Error, "that folder is gone; nothing moved");
                    Vec::new()
                }
            }
        }
    }
}

/// A key while a request field is being edited.
fn field_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    let Some(r) = app.selected_request().cloned() else {
        app.editor.editing = None;
        return Vec::new();
    };
    let Some(mut editing) = app.editor.editing.take() else {
        return Vec::new();
    };
    let send = ctrl(&k, 'r');
    let save = ctrl(&k, 's');
    let commit = send
        || save
        || k.code == KeyCode::Esc
        || (k.code == KeyCode::Enter && !editing.multiline());
    if commit {
        if editing.error.is_some() {
            if k.code == KeyCode::Esc && editing.discard_armed {
                // The second Esc drops the edit: the request goes back to how it was.
                if let Some(spec) = app.ws.request_mut(&r) {
                    *spec = editing.original;
                }
                app.notify(Level::Info, "edit discarded");
                app.refresh_preview();
                return Vec::new();
            }
            editing.discard_armed = k.code == KeyCode::Esc;
            let e = editing.error.clone().unwrap_or_default();
            app.notify(
                Level::Error,
                format!("{e} — fix it, or Esc again to discard the edit"),
            );
            app.editor.editing = Some(editing);
            return Vec::new();
        }
        let changed = app.ws.request(&r) != Some(&editing.original);
        let mut out = if changed {
            app.changed(r.doc, true)
        } else {
            Vec::new()
        };
        if changed && matches!(editing.field, editor::Field::Name) {
            app.ws.rebuild();
        }
        if save {
            out.extend(app.update(super::app::Message::Action(Action::Save)));
        }
        if send {
            out.extend(app.update(super::app::Message::Action(Action::Send)));
        }
        return out;
    }
    editing.discard_armed = false;
    editing.area.input(k);
    let value = editing.value();
    let result = app
        .ws
        .request_mut(&r)
        .map(|spec| editor::apply(spec, editing.field, &value))
        .unwrap_or(Ok(()));
    editing.error = result.err();
    let changed = app.ws.request(&r) != Some(&editing.original);
    app.editor.editing = Some(editing);
    if let Some(d) = app.ws.docs.get_mut(r.doc) {
        d.dirty |= changed;
    }
    if changed {
        app.typing = Some((r.doc, std::time::Instant::now()));
    }
    app.refresh_preview();
    Vec::new()
}

pub fn tree_action(app: &mut App, action: Action) -> Vec<Command> {
    let n = app.ws.rows.len();
    let move_to = |app: &mut App, i: usize| {
        if i != app.selected && i < n {
            app.selected = i;
            app.selection_changed()
        } else {
            Vec::new()
        }
    };
    let page = (app.size.1 as usize / 2).max(3);
    match action {
        Action::Up => move_to(app, app.selected.saturating_sub(1)),
        Action::Down => move_to(app, (app.selected + 1).min(n.saturating_sub(1))),
        Action::PageUp => move_to(app, app.selected.saturating_sub(page)),
        Action::PageDown => move_to(app, (app.selected + page).min(n.saturating_sub(1))),
        Action::Top => move_to(app, 0),
        Action::Bottom => move_to(app, n.saturating_sub(1)),
        Action::Enter | Action::Right | Action::Left => {
            let Some(node) = app.selected_node().cloned() else {
                return Vec::new();
            };
            if matches!(node, Node::Request(_)) {
                if action != Action::Left {
                    app.focus = Pane::Request;
                    app.main = Pane::Request;
                }
            } else {
                // Enter folds and unfolds; → unfolds; ← folds.
                let open = match action {
                    Action::Right => Some(true),
                    Action::Left => Some(false),
                    _ => None,
                };
                app.ws.fold(&node, open);
                if let Some(i) = app.ws.row_of(&node) {
                    app.selected = i;
                }
            }
            Vec::new()
        }
        Action::Filter => {
            let f = app.ws.filter.clone();
            app.open_text(TextPurpose::Filter, &f, None);
            Vec::new()
        }
        Action::NewRequest => {
            let at = app.selected_node().cloned().unwrap_or(Node::Collection(0));
            let Some(r) = app.ws.add_request(&at) else {
                return Vec::new();
            };
            let mut out = app.changed(r.doc, true);
            out.extend(app.select_node(&Node::Request(r.clone())));
            // Straight into the URL.
            app.focus = Pane::Request;
            app.main = Pane::Request;
            app.editor.tab_index = 0;
            app.editor.row = 1;
            if let Some(spec) = app.ws.request(&r) {
                app.editor.editing = Some(Editing::new(spec, editor::Field::Url));
            }
            out
        }
        Action::NewFolder => {
            let at = app.selected_node().cloned().unwrap_or(Node::Collection(0));
            let Some(node) = app.ws.add_folder(&at) else {
                return Vec::new();
            };
            let mut out = app.changed(node.doc(), true);
            out.extend(app.select_node(&node));
            let name = app.ws.name_of(&node).unwrap_or_default();
            app.open_text(TextPurpose::Rename, &name, Some(node));
            out
        }
        Action::Rename => {
            if let Some(node) = app.selected_node().cloned() {
                let name = app.ws.name_of(&node).unwrap_or_default();
                app.open_text(TextPurpose::Rename, &name, Some(node));
            }
            Vec::new()
        }
        Action::Duplicate => {
            let Some(r) = app.selected_request().cloned() else {
                app.notify(Level::Warning, "select a request to duplicate");
                return Vec::new();
            };
            match app.ws.duplicate(&r) {
                Some(copy) => {
                    let mut out = app.changed(r.doc, true);
                    out.extend(app.select_node(&Node::Request(copy)));
                    out
                }
                None => Vec::new(),
            }
        }
        Action::Delete => {
            if let Some(node) = app.selected_node().cloned() {
                let what = match &node {
                    Node::Collection(_) => {
                        app.notify(
                            Level::Warning,
                            "a collection is a file: delete it from the collections folder",
                        );
                        return Vec::new();
                    }
                    Node::Folder(..) => "folder (and everything in it)",
                    Node::Request(_) => "request",
                };
                let name = app.ws.name_of(&node).unwrap_or_default();
                app.prompt = Some(Prompt::Confirm {
                    what: Confirm::Delete(node),
                    question: format!("Delete the {what} '{name}'? y: delete · n / Esc: keep"),
                });
            }
            Vec::new()
        }
        Action::Move => {
            let Some(r) = app.selected_request().cloned() else {
                app.notify(Level::Warning, "select a request to move");
                return Vec::new();
            };
            let dest = app.ws.destinations();
            let items = dest.iter().map(|(_, _, l)| l.clone()).collect();
            app.prompt = Some(Prompt::Pick {
                what: Pick::Move(r, dest.into_iter().map(|(d, p, _)| (d, p)).collect()),
                title: "Move to".into(),
                items,
                selected: 0,
            });
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A variable's value or a new `name=value`, entered in a prompt from the Vars tab.
fn variable_entered(app: &mut App, purpose: TextPurpose, text: &str) -> Vec<Command> {
    let Some(r) = app.selected_request().cloned() else {
        return Vec::new();
    };
    let (level, name, value) = if purpose == TextPurpose::VarValue {
        let Some(v) = app.var_rows().into_iter().nth(app.editor.row) else {
            return Vec::new();
        };
        (v.level, v.name, text.to_string())
    } else {
        let Some((name, value)) = text.split_once('=') else {
            app.notify(Level::Error, "not added: write it as name=value");
            return Vec::new();
        };
        let level = app.new_variable_level();
        let name = name.trim().to_string();
        if app
            .var_rows()
            .iter()
            .any(|v| v.level == level && v.name == name)
        {
            app.notify(
                Level::Error,
                format!("{{{{{name}}}}} is already defined there: Enter on its row edits it"),
            );
            return Vec::new();
        }
        (level, name, value.to_string())
    };
    match app.ws.set_variable(&r, &level, &name, Some(&value)) {
        Ok(()) => {
            if let Some(i) = app
                .var_rows()
                .iter()
                .position(|v| v.level == level && v.name == name)
            {
                app.editor.row = i;
            }
            app.changed(r.doc, true)
        }
        Err(e) => {
            app.notify(Level::Error, format!("not set: {e}"));
            Vec::new()
        }
    }
}

/// Keys on the Vars tab that differ from the other tabs (rows come from the workspace, and
/// values are entered in a prompt, then set where they are defined).
fn vars_action(app: &mut App, action: Action) -> Option<Vec<Command>> {
    let row = app.var_rows().into_iter().nth(app.editor.row);
    match action {
        Action::Left => return Some(editor_action(app, Action::PrevTab)),
        Action::Right => return Some(editor_action(app, Action::NextTab)),
        Action::Enter => match row {
            Some(v) if v.level == super::workspace::VarLevel::Override => app.notify(
                Level::Warning,
                format!("{{{{{}}}}} is set for this run only (not saved)", v.name),
            ),
            Some(v) => app.open_text(TextPurpose::VarValue, &v.value, None),
            None => app.open_text(TextPurpose::VarAdd, "", None),
        },
        Action::AddRow => app.open_text(TextPurpose::VarAdd, "", None),
        Action::DeleteRow => {
            if let Some(v) = row {
                app.prompt = Some(Prompt::Confirm {
                    what: Confirm::DeleteVariable,
                    question: format!("Remove {{{{{}}}}} from the {}? y / n", v.name, v.source),
                });
            }
        }
        Action::Toggle | Action::EditExternal => {}
        _ => return None,
    }
    Some(Vec::new())
}

pub fn editor_action(app: &mut App, action: Action) -> Vec<Command> {
    let Some(r) = app.selected_request().cloned() else {
        return Vec::new();
    };
    if app.editor.tab() == Tab::Vars {
        if let Some(out) = vars_action(app, action) {
            return out;
        }
    }
    let rows = app.editor_rows();
    let tab = app.editor.tab();
    let row = rows.get(app.editor.row).copied();
    let table = app
        .spec()
        .is_some_and(|spec| editor::pairs(spec, tab).is_some());

    match action {
        Action::Up => app.editor.row = app.editor.row.saturating_sub(1),
        Action::Down => app.editor.row = (app.editor.row + 1).min(rows.len().saturating_sub(1)),
        Action::NextTab | Action::PrevTab => {
            let n = TABS.len();
            app.editor.tab_index = if action == Action::NextTab {
                (app.editor.tab_index + 1) % n
            } else {
                (app.editor.tab_index + n - 1) % n
            };
            app.editor.row = 0;
            app.editor.col = 0;
        }
        // On a table row, ←/→ move between name and value; past either edge (and on other
        // rows) they change tabs.
        Action::Left | Action::Right
            if matches!(row, Some(RowKind::Pair(_)))
                && (app.editor.col == 1) == (action == Action::Left) =>
        {
            app.editor.col = usize::from(action == Action::Right)
        }
        Action::Left | Action::Right => {
            return editor_action(
                app,
                if action == Action::Left {
                    Action::PrevTab
                } else {
                    Action::NextTab
                },
            )
        }
        Action::Toggle => {
            if let (Some(row), Some(spec)) = (row, app.ws.request_mut(&r)) {
                editor::cycle(spec, tab, row);
                app.editor.row = app
                    .editor
                    .row
                    .min(editor::rows(spec, tab).len().saturating_sub(1));
                return app.changed(r.doc, true);
            }
        }
        Action::Enter => match row {
            Some(RowKind::Choice(_)) => return editor_action(app, Action::Toggle),
            Some(row) => {
                if let (Some(field), Some(spec)) = (
                    editor::field_of(tab, row, app.editor.col),
                    app.ws.request(&r),
                ) {
                    app.editor.editing = Some(Editing::new(spec, field));
                }
            }
            None if table => return editor_action(app, Action::AddRow),
            None => {}
        },
        Action::AddRow if table => {
            if let Some(spec) = app.ws.request_mut(&r) {
                let Some(items) = editor::pairs_mut(spec, tab) else {
                    return Vec::new();
                };
                items.push(crate::model::NameValue {
                    name: String::new(),
                    value: String::new(),
                    enabled: true,
                });
                let i = items.len() - 1;
                // The new row's place among the tab's rows (the Body tab has its type first).
                let rows = editor::rows(spec, tab);
                app.editor.row = rows
                    .iter()
                    .position(|k| *k == RowKind::Pair(i))
                    .unwrap_or(0);
                app.editor.col = 0;
                let field =
                    editor::field_of(tab, RowKind::Pair(i), 0).expect("a table row has fields");
                let out = app.changed(r.doc, false);
                if let Some(spec) = app.ws.request(&r) {
                    app.editor.editing = Some(Editing::new(spec, field));
                }
                return out;
            }
        }
        Action::DeleteRow if table => {
            if let (Some(RowKind::Pair(i)), Some(spec)) = (row, app.ws.request_mut(&r)) {
                if let Some(items) = editor::pairs_mut(spec, tab) {
                    items.remove(i);
                }
                app.editor.row = app
                    .editor
                    .row
                    .min(editor::rows(spec, tab).len().saturating_sub(1));
                return app.changed(r.doc, true);
            }
        }
        Action::EditExternal => {
            let Some(spec) = app.ws.request(&r) else {
                return Vec::new();
            };
            let extension = match spec.body {
                crate::model::Body::Json { .. } => "json",
                crate::model::Body::Text { .. } => "txt",
                _ => {
                    app.notify(
                        Level::Warning,
                        "set the body type to json or text first (Body tab, Space)",
                    );
                    return Vec::new();
                }
            };
            return vec![Command::EditExternally {
                text: editor::text(spec, editor::Field::Body),
                extension,
            }];
        }
        _ => {}
    }
    Vec::new()
}

/// Clicks focus the pane under the pointer (and pick a tree row); the wheel scrolls it.
pub fn mouse(app: &mut App, m: MouseEvent) -> Vec<Command> {
    let areas = super::view::layout(
        app,
        ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1),
    );
    let at = ratatui::layout::Position::new(m.column, m.row);
    let Some((pane, rect)) = areas.panes().into_iter().find(|(_, r)| r.contains(at)) else {
        return Vec::new();
    };
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            app.focus = pane;
            if pane != Pane::Requests {
                app.main = pane;
            }
            let inner_y = m.row.saturating_sub(rect.y + 1) as usize;
            if pane == Pane::Request && m.row > rect.y {
                if let Some(spec) = app.spec() {
                    if inner_y == 0 {
                        // The tab line.
                        if let Some(i) = super::view::panes::tab_at(
                            spec,
                            rect.x + 1,
                            rect.width.saturating_sub(2),
                            app.editor.tab_index,
                            m.column,
                        ) {
                            app.editor.tab_index = i;
                            app.editor.row = 0;
                            app.editor.col = 0;
                        }
                    } else if inner_y >= 2 && inner_y - 2 < app.editor_rows().len() {
                        app.editor.row = inner_y - 2;
                    }
                }
                return Vec::new();
            }
            if pane == Pane::History && m.row > rect.y {
                let offset = super::view::tree_offset(
                    app.history_selected,
                    rect.height.saturating_sub(2) as usize,
                );
                if offset + inner_y < app.history.len() {
                    app.history_selected = offset + inner_y;
                }
                return Vec::new();
            }
            if pane == Pane::Requests {
                let offset =
                    super::view::tree_offset(app.selected, rect.height.saturating_sub(2) as usize);
                let row = offset + (m.row.saturating_sub(rect.y + 1)) as usize;
                if m.row > rect.y && row < app.ws.rows.len() && row != app.selected {
                    app.selected = row;
                    return app.selection_changed();
                }
            }
            Vec::new()
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = m.kind == MouseEventKind::ScrollDown;
            let before = app.focus;
            app.focus = pane;
            let mut out = Vec::new();
            for _ in 0..if pane == Pane::Requests { 1 } else { 3 } {
                out.extend(app.update(super::app::Message::Action(if down {
                    Action::Down
                } else {
                    Action::Up
                })));
            }
            app.focus = before;
            out
        }
        _ => Vec::new(),
    }
}
