//! The first screen when no collection is open (a new user, an empty folder): what sigscope
//! is, and the ways to start — a new collection, an imported file, the APIs of an AWS account,
//! the demo against the local gateway. The actions themselves are the workbench's.

use crate::text::visible_line;
use crate::tui::component::{Component, Draw, PaneId, Slot};
use crate::tui::keymap::{def, Action, Context};
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub const ID: PaneId = PaneId("welcome");

pub struct Welcome;

impl Component for Welcome {
    fn id(&self) -> PaneId {
        ID
    }

    fn context(&self) -> Context {
        Context::Welcome
    }

    fn slot(&self) -> Option<Slot> {
        Some(Slot::Editor)
    }

    fn shown(&self, st: &State) -> bool {
        st.ws.docs.is_empty()
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let key = |a: Action| {
            Span::styled(
                format!(" {} ", visible_line(st.key(a))),
                t.fg(Role::Accent)
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            )
        };
        let folder = st.collections_folder().display().to_string();
        let mut lines = vec![
            Line::styled(
                "Welcome to sigscope",
                t.fg(Role::Accent).add_modifier(Modifier::BOLD),
            ),
            Line::raw(""),
            Line::raw("Requests live in collections: JSON files in the collections folder,"),
            Line::raw(format!("{}.", visible_line(&folder))),
            Line::raw(""),
        ];
        for (a, what) in [
            (
                Action::NewCollection,
                "start a new collection (a file is written at once)",
            ),
            (
                Action::Import,
                "import a file: Postman, Insomnia, OpenAPI/Swagger, HAR, .http, a Bruno folder, curl",
            ),
            (
                Action::ImportAws,
                "import from an AWS account: the API Gateway APIs and Lambda function URLs your credentials can see",
            ),
            (
                Action::OpenDemo,
                "open the demo: a local IAM-protected gateway and requests that show each failure",
            ),
        ] {
            lines.push(Line::from(vec![key(a), Span::raw(format!("  {what}"))]));
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            format!(
                "{} lists every key · {} {}",
                st.key(Action::Help),
                st.key(Action::Quit),
                def(Action::Quit).desc
            ),
            t.fg(Role::Muted),
        ));
        let p = Paragraph::new(lines).wrap(Wrap { trim: false });
        f.render_widget(p.block(d.block("Start here")), area);
    }
}
