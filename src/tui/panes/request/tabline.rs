//! The editor's tab line: titles with what each tab holds when they fit, shorter when they do
//! not, then one letter each (but the selected one), the last tabs first, until they fit.
//! Drawn span by span, so each title's place is known and recorded for the mouse.

use super::TABS;
use crate::model::RequestSpec;
use crate::tui::component::Draw;
use crate::tui::hits::Target;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The titles for a tab line `width` wide.
pub fn tab_titles(spec: &RequestSpec, width: u16, selected: usize) -> Vec<String> {
    // One space either side of each title, a divider between them.
    let fits = |titles: &[String]| {
        titles.iter().map(|t| t.chars().count() + 3).sum::<usize>() <= width as usize + 1
    };
    let long: Vec<String> = TABS.iter().map(|t| t.titled(spec, true)).collect();
    if fits(&long) {
        return long;
    }
    let short: Vec<String> = TABS.iter().map(|t| t.titled(spec, false)).collect();
    if fits(&short) {
        return short;
    }
    // Then one letter each (but the selected one), the last tabs first, until they fit.
    let letter = |t: &str| {
        let mut letter: String = t.chars().take(1).collect();
        letter.extend(t.chars().skip_while(|c| !c.is_ascii_digit()));
        letter
    };
    let mut titles = short;
    for i in (0..titles.len()).rev() {
        if i != selected {
            titles[i] = letter(&titles[i]);
        }
        if fits(&titles) {
            break;
        }
    }
    titles
}

pub fn draw(spec: &RequestSpec, selected: usize, f: &mut Frame, area: Rect, d: &mut Draw) {
    let t = &d.st.theme;
    let highlight = t
        .fg(Role::Accent)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let mut spans = Vec::new();
    let mut x = area.x;
    for (i, title) in tab_titles(spec, area.width, selected)
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            spans.push(Span::raw("│"));
            x += 1;
        }
        let w = title.chars().count() as u16 + 2;
        let visible = w.min(area.right().saturating_sub(x));
        d.hit(Rect::new(x, area.y, visible, 1), Target::Tab(i));
        x += w;
        spans.push(Span::raw(" "));
        spans.push(if i == selected {
            Span::styled(title, highlight)
        } else {
            Span::raw(title)
        });
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
