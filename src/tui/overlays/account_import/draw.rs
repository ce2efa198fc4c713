//! Drawing the AWS account import dialog: each step's text, its list (with the rows recorded
//! for the mouse), the fields of the region step, and the last problem.

use super::{AccountImport, Row, Step, DEFAULT_CHAIN};
use crate::import::aws::ApiKind;
use crate::text::visible_line;
use crate::tui::component::{centered, list_offset, Draw};
use crate::tui::hits::Target;
use crate::tui::keymap::Action;
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub(super) fn render(dialog: &AccountImport, f: &mut Frame, area: Rect, d: &mut Draw) {
    let st = d.st;
    let t = &st.theme;
    let rect = centered(
        area,
        area.width.saturating_sub(4).min(130),
        (dialog.rows() + 4).clamp(8, area.height.saturating_sub(4).max(8)),
    );
    d.hit(rect, Target::Area);
    f.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(format!(
            "Import from an AWS account ({} closes)",
            st.key(Action::Cancel)
        ))
        .border_style(t.fg(Role::Focus));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let mut lines: Vec<Line> = Vec::new();
    let muted = t.fg(Role::Muted);
    let mut list: Vec<(String, Option<bool>)> = Vec::new();
    let mut selected = 0;
    match &dialog.step {
        Step::Reading => lines.push(Line::styled("reading the AWS profiles…", muted)),
        Step::Profile {
            profiles,
            selected: s,
        } => {
            lines.push(Line::raw(format!(
                "The profile whose credentials list the APIs ({}/{} move, {} chooses):",
                st.key(Action::Up),
                st.key(Action::Down),
                st.key(Action::Enter)
            )));
            for (name, region) in profiles {
                let name = name.as_deref().unwrap_or(DEFAULT_CHAIN);
                let region = region.as_deref().unwrap_or("no region set");
                list.push((format!("{name}  ({region})"), None));
            }
            selected = *s;
        }
        Step::Region {
            profile,
            field,
            methods,
            on_methods,
        } => {
            lines.push(Line::raw(format!(
                "Profile: {}",
                profile.as_deref().unwrap_or(DEFAULT_CHAIN)
            )));
            lines.push(Line::raw(
                "The region to list, and the methods API Gateway's ANY routes are imported as:",
            ));
            lines.push(Line::styled(
                format!(
                    "({} moves between them, {} lists the APIs, {} goes back)",
                    st.key(Action::NextCell),
                    st.key(Action::Enter),
                    st.key(Action::Done)
                ),
                muted,
            ));
            dialog.draw_lines(f, inner, &lines);
            let y = inner.y + lines.len() as u16 + 1;
            for (i, (label, input, on)) in [
                ("region", field, !*on_methods),
                ("ANY as", methods, *on_methods),
            ]
            .into_iter()
            .enumerate()
            {
                let row = y + i as u16;
                if row >= inner.y + inner.height {
                    break;
                }
                let mark = if on { "›" } else { " " };
                let style = if on { t.fg(Role::Focus) } else { muted };
                f.render_widget(
                    Paragraph::new(Line::styled(format!("{mark} {label:<8}"), style)),
                    Rect::new(inner.x, row, 11, 1),
                );
                let w = inner.width.saturating_sub(12).min(40);
                f.render_widget(&input.area, Rect::new(inner.x + 11, row, w, 1));
            }
            dialog.draw_problem(f, inner, y + 3, st);
            return;
        }
        Step::Listing { profile, region } => lines.push(Line::styled(
            format!(
                "listing API Gateway, API Gateway v2 and Lambda in {region} with {}…",
                profile.as_deref().unwrap_or("the default chain")
            ),
            muted,
        )),
        Step::Apis {
            region,
            credentials,
            rows,
            problems,
            selected: s,
            picked,
            ..
        } => {
            lines.push(Line::raw(format!(
                "APIs in {region} ({}): {} picks, {} imports the picked ones (or the one under the cursor)",
                credentials.masked_access_key(),
                st.key(Action::Toggle),
                st.key(Action::Enter)
            )));
            for p in problems {
                lines.push(Line::styled(
                    format!("could not list: {p}"),
                    t.fg(Role::Warning),
                ));
            }
            if rows.is_empty() {
                lines.push(Line::styled(
                    format!("no API Gateway API or Lambda function URL in {region}"),
                    muted,
                ));
            }
            for (i, row) in rows.iter().enumerate() {
                list.push((describe(row), Some(picked.contains(&i))));
            }
            selected = *s;
        }
        Step::Importing { region, count } => lines.push(Line::styled(
            format!("importing {count} from {region} (API Gateway's OpenAPI export)…"),
            muted,
        )),
    }
    let top = inner.y + lines.len() as u16 + 1;
    dialog.draw_lines(f, inner, &lines);
    let height = (inner.y + inner.height).saturating_sub(top + 2) as usize;
    let offset = list_offset(selected, height);
    for (row, (i, (text, picked))) in list
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .enumerate()
    {
        let mark = match picked {
            Some(true) => "[x] ",
            Some(false) => "[ ] ",
            None => "",
        };
        let cursor = if i == selected { "› " } else { "  " };
        let style = if i == selected {
            t.selected()
        } else {
            ratatui::style::Style::default()
        };
        let r = Rect::new(inner.x, top + row as u16, inner.width, 1);
        f.render_widget(
            Paragraph::new(Line::from(vec![Span::styled(
                format!("{cursor}{mark}{}", visible_line(text)),
                style,
            )])),
            r,
        );
        d.hit(r, Target::Row(i));
    }
    dialog.draw_problem(f, inner, (inner.y + inner.height).saturating_sub(1), st);
}

impl AccountImport {
    /// The lines the step shows (the text, the list, the gap before it).
    fn rows(&self) -> u16 {
        let n = match &self.step {
            Step::Reading | Step::Listing { .. } | Step::Importing { .. } => 1,
            Step::Profile { profiles, .. } => 2 + profiles.len(),
            Step::Region { .. } => 7,
            Step::Apis { rows, problems, .. } => 2 + problems.len() + rows.len().max(1),
        };
        n.min(u16::MAX as usize) as u16
    }

    fn draw_lines(&self, f: &mut Frame, inner: Rect, lines: &[Line]) {
        let h = (lines.len() as u16).min(inner.height);
        f.render_widget(
            Paragraph::new(lines.to_vec()).wrap(Wrap { trim: false }),
            Rect::new(inner.x, inner.y, inner.width, h),
        );
    }

    fn draw_problem(&self, f: &mut Frame, inner: Rect, y: u16, st: &State) {
        if let Some(p) = &self.problem {
            if y < inner.y + inner.height {
                f.render_widget(
                    Paragraph::new(Line::styled(
                        visible_line(p).into_owned(),
                        st.theme.fg(Role::Error),
                    )),
                    Rect::new(inner.x, y, inner.width, 1),
                );
            }
        }
    }
}

/// One row of the API list: kind, id, name, and the stage or the function URL.
fn describe(row: &Row) -> String {
    let api = &row.api;
    let detail = match api.kind {
        ApiKind::FunctionUrl => format!(
            "{} · auth {}",
            api.url.as_deref().unwrap_or("-"),
            if api.iam { "AWS_IAM" } else { "NONE" }
        ),
        _ => match &row.stage {
            Some(s) => format!("stage {s}"),
            None => "no stage: deploy it first".into(),
        },
    };
    format!(
        "{:<13} {:<16} {:<24} {detail}",
        api.kind.name(),
        api.id,
        api.name
    )
}
