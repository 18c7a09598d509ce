//! The pages' templates (minijinja, HTML auto-escaping) and assets, built in or
//! overridden file by file from `[site] theme = "theme/"`.
//!
//! Templates arrange what mspod computes: plain values (titles, URLs, dates)
//! are escaped by the template engine; the fragments mspod builds itself
//! (`parts.*`: notes, player, help line) are passed as HTML. A theme can
//! replace `episode.html`, `show.html`, `bar.html`, `footer.html`, `site.css`
//! or `player.js`, and add its own partials for `{% include %}`.

use minijinja::{Environment, Value};

/// The built-in theme: file name → text. `mspod init --theme` writes these out.
pub(crate) const BUILT_IN: [(&str, &str); 6] = [
    (
        "episode.html",
        include_str!("assets/templates/episode.html"),
    ),
    ("show.html", include_str!("assets/templates/show.html")),
    ("bar.html", include_str!("assets/templates/bar.html")),
    ("footer.html", include_str!("assets/templates/footer.html")),
    ("site.css", include_str!("assets/site.css")),
    ("player.js", include_str!("assets/player.js")),
];

/// The templates and assets of one render: the theme's files over the built-in ones.
pub(super) struct Theme<'a> {
    env: Environment<'a>,
    /// Only the built-in templates, for when a theme's template fails at render time.
    fallback: Environment<'static>,
    style: &'a str,
    script: &'a str,
}

fn environment<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> Environment<'a> {
    let mut env = Environment::new();
    // Templates are written one tag per line; output keeps the files' newlines.
    env.set_trim_blocks(true);
    env.set_keep_trailing_newline(true);
    // mspod's own escaping (`& < > "`), so templates and Rust-built parts agree
    // byte for byte (the engine's default also escapes `/` and `'`).
    env.set_formatter(|out, state, value| {
        let plain = !value.is_safe() && !value.is_undefined() && !value.is_none();
        if plain && state.auto_escape() == minijinja::AutoEscape::Html {
            out.write_str(&super::blocks::escape(&value.to_string()))
                .map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
                })
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    for (name, text) in files.filter(|(n, _)| n.ends_with(".html")) {
        // Built-in templates are tested; a theme's were checked when mspod.toml was loaded.
        let _ = env.add_template(name, text);
    }
    env
}

impl<'a> Theme<'a> {
    /// The built-in theme with `overrides` (`[site] theme`: file name → text) over it.
    pub(super) fn new(overrides: &'a [(String, String)]) -> Theme<'a> {
        let file = |name: &str| -> &'a str {
            overrides
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.as_str())
                .or_else(|| BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t))
                .unwrap_or("")
        };
        let files = BUILT_IN.iter().map(|(n, _)| (*n, file(n))).chain(
            overrides
                .iter()
                .filter(|(n, _)| !BUILT_IN.iter().any(|(b, _)| b == n))
                .map(|(n, t)| (n.as_str(), t.as_str())),
        );
        Theme {
            env: environment(files),
            fallback: environment(BUILT_IN.into_iter()),
            style: file("site.css"),
            script: file("player.js"),
        }
    }

    /// Renders `name` with `context` plus `style` and `script`. A theme template
    /// that fails is replaced by the built-in one, with a warning.
    pub(super) fn render(&self, name: &str, context: Value, warnings: &mut Vec<String>) -> String {
        let mut out = Vec::new();
        // Writing to memory cannot fail.
        let _ = self.render_to(name, context, &mut out, warnings);
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// [`Theme::render`] into `out` as it goes (a show page of every episode is never
    /// held whole); a theme template that fails half-way is started over with the
    /// built-in one. Only writing can fail.
    pub(super) fn render_to(
        &self,
        name: &str,
        context: Value,
        out: &mut dyn PageWriter,
        warnings: &mut Vec<String>,
    ) -> std::io::Result<()> {
        let context = minijinja::context! {
            style => Value::from_safe_string(self.style.to_string()),
            script => Value::from_safe_string(self.script.to_string()),
            ..context
        };
        let result = self
            .env
            .get_template(name)
            .and_then(|t| t.render_captured_to(&context, &mut *out).map(drop));
        let e = match result {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == minijinja::ErrorKind::WriteFailure => return Err(write_error(e)),
            Err(e) => e,
        };
        warnings.push(format!("theme template {name}: {e}; used the built-in one"));
        out.restart()?;
        let fallback = self
            .fallback
            .get_template(name)
            .and_then(|t| t.render_captured_to(&context, &mut *out).map(drop));
        match fallback {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == minijinja::ErrorKind::WriteFailure => Err(write_error(e)),
            Err(e) => {
                out.restart()?;
                out.write_all(format!("<!-- {name}: {e} -->").as_bytes())
            }
        }
    }
}

/// A page being written: `restart` drops what was written so far.
pub(crate) trait PageWriter: std::io::Write {
    fn restart(&mut self) -> std::io::Result<()>;
}

impl PageWriter for Vec<u8> {
    fn restart(&mut self) -> std::io::Result<()> {
        self.clear();
        Ok(())
    }
}

fn write_error(e: minijinja::Error) -> std::io::Error {
    match std::error::Error::source(&e).and_then(|s| s.downcast_ref::<std::io::Error>()) {
        Some(io) => std::io::Error::new(io.kind(), io.to_string()),
        None => std::io::Error::other(e.to_string()),
    }
}

/// HTML that mspod built, passed to templates unescaped.
pub(super) fn html(s: String) -> Value {
    Value::from_safe_string(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::check_template;

    #[test]
    fn built_in_templates_compile() {
        for (name, text) in BUILT_IN.iter().filter(|(n, _)| n.ends_with(".html")) {
            assert_eq!(check_template(name, text), Ok(()), "{name}");
        }
    }

    #[test]
    fn template_errors_name_the_line() {
        let (line, message) = check_template("show.html", "<p>\n{% if x %}\n{{ a | }}\n")
            .expect_err("a filter without a name");
        assert_eq!(line, Some(3), "{message}");
        assert!(message.contains("syntax error"), "{message}");
    }

    #[test]
    fn values_are_escaped_and_parts_are_not() {
        let env = environment([("t.html", "{{ a }}|{{ b }}")].into_iter());
        let out = env
            .get_template("t.html")
            .and_then(|t| {
                t.render(minijinja::context! { a => "<b>&", b => html("<b>x</b>".into()) })
            })
            .unwrap_or_default();
        assert_eq!(out, "&lt;b&gt;&amp;|<b>x</b>");
        let out = env
            .get_template("t.html")
            .and_then(|t| t.render(minijinja::context! { a => "https://e.org/a'b", b => "\"" }))
            .unwrap_or_default();
        assert_eq!(out, "https://e.org/a'b|&quot;");
    }
}
