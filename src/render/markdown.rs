//! Rule documentation (Markdown) for a terminal, as `acrlint explain` prints it there: headings
//! set off, paragraphs and list items wrapped to the width, code blocks indented, inline code and
//! emphasis without their markers (in colour when asked). Tables are kept as written. Anything
//! else is left as text: this reads the rule documents, not arbitrary Markdown.

/// The longest line of prose, however wide the terminal: long lines are hard to read.
const MAX_PROSE: usize = 100;

const BOLD: &str = "\u{1b}[1m";
const UNDERLINE: &str = "\u{1b}[4m";
const CODE: &str = "\u{1b}[36m";
const DIM: &str = "\u{1b}[2m";
const RESET: &str = "\u{1b}[0m";

/// `markdown` rendered for a terminal `width` columns wide.
pub fn terminal(markdown: &str, width: usize, color: bool) -> String {
    let width = width.clamp(40, MAX_PROSE);
    let mut out = Vec::<String>::new();
    // The paragraph or list item being gathered: its first-line prefix, continuation indent, text.
    let mut block: Option<(String, usize, String)> = None;
    let mut fence: Option<String> = None;
    let flush = |block: &mut Option<(String, usize, String)>, out: &mut Vec<String>| {
        if let Some((prefix, indent, text)) = block.take() {
            let text = inline(&text, color);
            let lines = wrap(&text, &prefix, indent, width);
            out.extend(lines.into_iter().map(|l| l.replace(KEEP_SPACE, " ")));
        }
    };
    for line in markdown.lines() {
        if let Some(marker) = &fence {
            if line.trim_start().starts_with(marker.as_str()) {
                fence = None;
                out.push(String::new());
            } else if color {
                out.push(format!("    {CODE}{line}{RESET}"));
            } else {
                out.push(format!("    {line}"));
            }
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            flush(&mut block, &mut out);
            fence = Some("```".to_string());
            let tags: Vec<&str> = info.split_whitespace().collect();
            let label = if tags.contains(&"fail") {
                Some("fails:")
            } else if tags.contains(&"pass") {
                Some("passes:")
            } else {
                None
            };
            if let Some(label) = label {
                let lang = tags.first().copied().unwrap_or_default();
                let text = format!("Example ({lang}) that {label}");
                out.push(match color {
                    true => format!("  {DIM}{text}{RESET}"),
                    false => format!("  {text}"),
                });
            }
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut block, &mut out);
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            continue;
        }
        if let Some((level, title)) = heading(trimmed) {
            flush(&mut block, &mut out);
            let title = inline(title, color).replace(KEEP_SPACE, " ");
            if color {
                let style = if level == 1 {
                    format!("{BOLD}{UNDERLINE}")
                } else {
                    BOLD.to_string()
                };
                out.push(format!("{style}{title}{RESET}"));
            } else {
                let rule = if level == 1 { '═' } else { '─' };
                let length = title.chars().count();
                out.push(title);
                out.push(rule.to_string().repeat(length));
            }
            continue;
        }
        if trimmed.starts_with('|') {
            flush(&mut block, &mut out);
            out.push(line.to_string());
            continue;
        }
        if let Some((indent, text)) = list_item(line) {
            flush(&mut block, &mut out);
            let prefix = format!("{}• ", " ".repeat(indent));
            block = Some((prefix, indent + 2, text.to_string()));
            continue;
        }
        match &mut block {
            Some((_, _, text)) => {
                text.push(' ');
                text.push_str(trimmed);
            }
            None => block = Some((String::new(), 0, trimmed.to_string())),
        }
    }
    flush(&mut block, &mut out);
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// A space inside inline code, which wrapping must not break at.
const KEEP_SPACE: char = '\u{E000}';

/// `## Title` → (2, "Title").
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    let title = line[level..].strip_prefix(' ')?;
    (1..=6).contains(&level).then_some((level, title.trim()))
}

/// `- item`, `* item`, `1. item` → (indent, "item").
fn list_item(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start().len();
    let rest = line.trim_start();
    if let Some(text) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("* ")) {
        return Some((indent, text));
    }
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let text = rest[digits..].strip_prefix(". ")?;
    (digits > 0).then_some((indent, text))
}

/// Inline markup: `code` and **bold** lose their markers (and are coloured when asked); a link
/// `[text](url)` becomes `text (url)`.
fn inline(text: &str, color: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['`', '*', '[']) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(code) = after.strip_prefix('`') {
            if let Some(end) = code.find('`') {
                let code_text = code[..end].replace(' ', &KEEP_SPACE.to_string());
                match color {
                    true => out.push_str(&format!("{CODE}{code_text}{RESET}")),
                    false => out.push_str(&format!("`{code_text}`")),
                }
                rest = &code[end + 1..];
                continue;
            }
        } else if let Some(bold) = after.strip_prefix("**") {
            if let Some(end) = bold.find("**") {
                match color {
                    true => out.push_str(&format!("{BOLD}{}{RESET}", &bold[..end])),
                    false => out.push_str(&bold[..end]),
                }
                rest = &bold[end + 2..];
                continue;
            }
        } else if let Some(link) = after.strip_prefix('[') {
            let parts = link
                .find("](")
                .and_then(|mid| Some((mid, link[mid + 2..].find(')')? + mid + 2)));
            if let Some((mid, end)) = parts {
                out.push_str(&format!("{} ({})", &link[..mid], &link[mid + 2..end]));
                rest = &link[end + 1..];
                continue;
            }
        }
        out.push_str(&after[..1]);
        rest = &after[1..];
    }
    out.push_str(rest);
    out
}

/// Characters on screen, not counting colour codes.
fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut escape = false;
    for c in text.chars() {
        match (escape, c) {
            (false, '\u{1b}') => escape = true,
            (true, 'm') => escape = false,
            (true, _) => {}
            (false, _) => width += 1,
        }
    }
    width
}

/// Words filled into lines of at most `width` columns: the first starts with `prefix`, the others
/// with `indent` spaces. A word longer than a line gets a line of its own.
fn wrap(text: &str, prefix: &str, indent: usize, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = prefix.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let needed = visible_width(&line) + usize::from(!empty) + visible_width(word);
        if !empty && needed > width {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# ACR004 `name`\n\n## What it flags\n\nA private endpoint to a registry that has no DNS zone group, when no manual A record for that\nregistry exists in a zone (`privatelink.azurecr.io`), see [the docs](https://example.com).\n\n- one item that is long enough to wrap around the width of the terminal when it is narrow enough\n- **two**\n\n```hcl fail\nresource \"x\" \"y\" {\n\n  a = 1\n}\n```\n\n| A | B |\n|---|---|\n";

    #[test]
    fn plain_terminal_output() {
        let out = terminal(DOC, 60, false);
        assert!(!out.contains("## ") && !out.contains("```"), "{out}");
        assert!(out.starts_with("ACR004 `name`\n═════════════\n"), "{out}");
        assert!(out.contains("What it flags\n─────────────\n"), "{out}");
        let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("see the docs (https://example.com)."),
            "{out}"
        );
        assert!(out.contains("• one item"), "{out}");
        assert!(
            out.contains("\n  around") || out.contains("\n  the"),
            "{out}"
        );
        assert!(out.contains("• two\n"), "{out}");
        assert!(out.contains("  Example (hcl) that fails:\n    resource \"x\" \"y\" {\n    \n      a = 1\n    }\n"), "{out}");
        assert!(out.contains("| A | B |"), "{out}");
        // Inline code is never broken across lines.
        let narrow = terminal(
            "aaaa bbbb cccc dddd eeee ffff gggg hhhh `dns = \"external\"` x",
            40,
            false,
        );
        assert!(narrow.contains("`dns = \"external\"`"), "{narrow}");
        for line in out.lines().filter(|l| !l.starts_with("    ")) {
            assert!(line.chars().count() <= 60, "{line:?}");
        }
    }

    #[test]
    fn colour_replaces_the_markers() {
        let out = terminal(DOC, 100, true);
        assert!(
            out.contains(&format!("{CODE}privatelink.azurecr.io{RESET}")),
            "{out}"
        );
        assert!(out.contains(&format!("{BOLD}two{RESET}")), "{out}");
        assert!(!out.contains('`'), "{out}");
        for line in out.lines().filter(|l| !l.starts_with("    ")) {
            assert!(visible_width(line) <= 100, "{line:?}");
        }
    }

    #[test]
    fn wraps_with_a_hanging_indent() {
        assert_eq!(wrap("aa bb cc dd", "• ", 2, 8), ["• aa bb", "  cc dd"]);
        assert_eq!(
            wrap("averyveryverylongword x", "", 0, 5),
            ["averyveryverylongword", "x"]
        );
        assert_eq!(visible_width("\u{1b}[36mab\u{1b}[0m"), 2);
        assert_eq!(list_item("12. x"), Some((0, "x")));
        assert_eq!(list_item("  - y"), Some((2, "y")));
        assert_eq!(list_item("-x"), None);
        assert_eq!(heading("### T"), Some((3, "T")));
        assert_eq!(heading("#hashtag"), None);
    }
}
