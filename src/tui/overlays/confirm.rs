//! A question with lettered answers (quit with unsaved edits, delete, a file changed on
//! disk): the answers are keymap actions, written after the question with their keys, and
//! the one chosen goes back to the component that asked. Anything else leaves it open.

use crate::tui::component::{centered, Component, Draw, Flow, Hint, Input, PaneId};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Answer, Confirm};
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub const CONFIRM: PaneId = PaneId("confirm");

pub struct Confirmation {
    owner: PaneId,
    what: Confirm,
    question: String,
    answers: Vec<(Action, &'static str)>,
}

impl Confirmation {
    pub fn new(owner: PaneId, what: Confirm, question: String) -> Confirmation {
        Confirmation {
            owner,
            what,
            question,
            answers: Vec::new(),
        }
    }

    /// An answer: its action (whose key is shown) and what it does.
    pub fn answer(mut self, action: Action, label: &'static str) -> Confirmation {
        self.answers.push((action, label));
        self
    }

    /// The question as shown: with its answers and their keys.
    pub fn text(&self, st: &State) -> String {
        let answers: Vec<String> = (self.answers.iter())
            .map(|(a, label)| format!("{}: {label}", st.key(*a)))
            .collect();
        format!("{} {}", self.question, answers.join(" · "))
    }
}

impl Component for Confirmation {
    fn id(&self) -> PaneId {
        CONFIRM
    }

    fn context(&self) -> Context {
        Context::Confirm
    }

    fn mode(&self) -> &'static str {
        "INPUT"
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        if let Input::Action(choice) = input {
            // Esc always closes, whatever the answers are.
            if choice == Action::Cancel || self.answers.iter().any(|(a, _)| *a == choice) {
                let what = self.what.clone();
                st.answer(self.owner, Answer::Confirmed { what, choice });
                st.close();
            }
        }
        Flow::Consumed
    }

    fn hints(&self, _st: &State) -> Vec<Hint> {
        (self.answers.iter())
            .map(|(a, label)| Hint::new(*a, label))
            .collect()
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let rect = centered(area, 70, 6);
        d.hit(rect, Target::Area);
        f.render_widget(Clear, rect);
        f.render_widget(
            Paragraph::new(crate::text::visible_line(&self.text(d.st)).into_owned())
                .wrap(Wrap { trim: true })
                .block(
                    Block::bordered()
                        .title("Confirm")
                        .border_style(d.st.theme.fg(Role::Warning)),
                ),
            rect,
        );
    }
}
