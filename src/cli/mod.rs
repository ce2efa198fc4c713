//! The headless CLI: one file per subcommand, each a thin shell over the core modules.

#[macro_use]
mod out;
pub mod args;
mod collections;
mod demo;
pub mod demo_logins;
mod diagnose;
mod doctor;
mod export;
pub mod first_screen;
mod history;
mod import;
pub mod login;
mod mock;
pub mod network;
mod preflight;
mod run;
mod send;
mod sign;
mod simulate;
mod whoami;

use clap::{CommandFactory, Parser, Subcommand};

/// Exit codes, distinct so scripts can branch on them.
pub mod exit {
    pub const OK: i32 = 0;
    /// Bad input, credentials or signing.
    pub const USAGE: i32 = 1;
    /// The server answered with a 4xx or 5xx status (`run`: a check failed).
    pub const HTTP_ERROR: i32 = 3;
    /// No response: refused, DNS, TLS, timeout, reset.
    pub const TRANSPORT: i32 = 4;
}

#[derive(Debug, Parser)]
#[command(name = "sigscope", version, about = "Sign, send, inspect and debug AWS SigV4 requests", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The collections folder for the workbench.
    #[arg(long)]
    pub collections: Option<std::path::PathBuf>,
    /// The workbench's theme: dark, light, high-contrast, or a path to a theme file.
    #[arg(long, global = true)]
    pub theme: Option<String>,
}

impl Cli {
    /// The bare workbench's arguments (`sigscope`, `sigscope --collections DIR`), read without
    /// clap: building its command tree of twenty subcommands takes most of a millisecond of a
    /// cold start. `None` for anything else (clap parses it). For these, exactly what clap
    /// reads (a test holds the two equal).
    pub fn workbench_only(args: &[std::ffi::OsString]) -> Option<Cli> {
        let given = match args.get(1..)? {
            [] => None,
            [flag, dir] if flag == "--collections" => Some(dir.clone()),
            [arg] => Some(arg.to_str()?.strip_prefix("--collections=")?.into()),
            _ => return None,
        };
        // Values clap refuses or reads as an option: left to clap to say so.
        let odd = |d: &std::ffi::OsString| d.is_empty() || d.as_encoded_bytes().starts_with(b"-");
        if given.as_ref().is_some_and(odd) {
            return None;
        }
        Some(Cli {
            command: None,
            collections: given.map(Into::into),
            theme: None,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign a request offline and print the canonical request, string-to-sign and signed headers.
    Sign(sign::SignArgs),
    /// Sign and send a request (curl-like), then diagnose any AWS auth failure.
    Send(send::SendArgs),
    /// Show who the credentials belong to (STS GetCallerIdentity, sent by sigscope's own engine).
    Whoami(whoami::WhoamiArgs),
    /// List the profiles in ~/.aws/config and ~/.aws/credentials, each with its status.
    Profiles(whoami::ProfilesArgs),
    /// Get a profile ready: IAM Identity Center login (device flow) and MFA codes, cached
    /// where the AWS CLI caches them.
    Login(login::LoginArgs),
    /// Forget SSO logins (all, as `aws sso logout`, or one profile's) and cached credentials.
    Logout(login::LogoutArgs),
    /// Check, step by step, where a signed call goes wrong.
    Doctor(doctor::DoctorArgs),
    /// Diagnose a saved AWS error response.
    Diagnose(diagnose::DiagnoseArgs),
    /// Ask IAM's policy simulator why a principal is denied an action on a resource.
    Why(simulate::WhyArgs),
    /// Send a browser's CORS preflight for a request and say whether a page could call it.
    Preflight(preflight::PreflightArgs),
    /// Run the local IAM-protected API Gateway.
    Mock(mock::MockArgs),
    /// Start the local gateway and run the demo collection against it.
    Demo(demo::DemoArgs),
    /// List the collections (and their load errors); --format rewrites them canonically.
    Collections(collections::CollectionsArgs),
    /// Run a collection as a test (for CI): captures, assertions, --jobs, --iterations, --data;
    /// human, JSON or JUnit reports; non-zero exit on any failed check or transport error.
    Run(run::RunArgs),
    /// Export a request as curl, python, javascript, go, httpie, awscurl, postman or http.
    Export(export::ExportArgs),
    /// Import curl commands, a Postman v2.1 collection or an OpenAPI export.
    Import(import::ImportArgs),
    /// The exchanges sent so far.
    History {
        #[command(subcommand)]
        command: Option<history::HistoryCommand>,
    },
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
}

/// Runs the CLI and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let Some(command) = cli.command else {
        return match workbench(cli.collections.as_deref(), cli.theme.as_deref()) {
            Ok(code) => code,
            Err(e) => {
                errln!("error: {}", crate::text::visible_text(&format!("{e:#}")));
                exit::USAGE
            }
        };
    };
    let result = match command {
        Command::Sign(a) => sign::run(a),
        Command::Send(a) => send::run(a),
        Command::Whoami(a) => whoami::run_whoami(a),
        Command::Profiles(a) => whoami::run_profiles(a),
        Command::Login(a) => login::run_login(a),
        Command::Logout(a) => login::run_logout(a),
        Command::Diagnose(a) => diagnose::run(a),
        Command::Why(a) => simulate::run(a),
        Command::Preflight(a) => preflight::run(a),
        Command::Doctor(a) => doctor::run(a),
        Command::Mock(a) => mock::run(a),
        Command::Demo(a) => demo::run(a, cli.theme.as_deref()),
        Command::Collections(a) => collections::run_collections(a),
        Command::Run(a) => run::run(a),
        Command::Export(a) => export::run(a),
        Command::History { command } => history::run(command),
        Command::Import(a) => import::run(a),
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics when its writer fails (a closed pipe).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "sigscope", &mut script);
            out::stdout_bytes(&script);
            Ok(exit::OK)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            errln!("error: {}", crate::text::visible_text(&format!("{e:#}")));
            exit::USAGE
        }
    }
}

/// `sigscope` alone: the workbench over every collection that loads (the others are named
/// with their error and left alone). With a big collection file, the first screen is drawn
/// from the files' heads before they are parsed whole (`first_screen`).
fn workbench(dir: Option<&std::path::Path>, theme: Option<&str>) -> anyhow::Result<i32> {
    use crate::model::store;
    let dir = store::collections_dir(dir);
    // The heads are read on a thread of their own while the terminal is set up.
    let behind = first_screen::worth_it(&dir).then(|| {
        let rows = crate::tui::terminal_rows().unwrap_or(45).into();
        first_screen::Behind::start(&dir, rows)
    });
    let remembered = crate::tui::session::load(&crate::tui::session::path());
    let mut warnings = Vec::new();
    let result = if let Some(behind) = behind {
        // What the heads read, for the full load.
        let left = std::cell::Cell::new(first_screen::Leftover::default());
        let first = || {
            let (first, files) = behind.screen(&dir, theme, &remembered);
            left.set(files);
            first
        };
        // The full load runs under the first screen; its warnings wait for the workbench to
        // end, as the screen is already up.
        let app = || {
            let full = first_screen::load_behind(&dir, left.take());
            let report = (full.join()).unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            whole_workbench(report, &dir, theme, &remembered, &mut warnings)
        };
        let result = runtime().block_on(crate::tui::run_after(first, app));
        print_warnings(&warnings);
        result
    } else {
        let report = store::load_all_checked(&dir);
        let app = whole_workbench(report, &dir, theme, &remembered, &mut warnings);
        print_warnings(&warnings);
        runtime().block_on(crate::tui::run(app))
    };
    result?;
    Ok(exit::OK)
}

fn print_warnings(lines: &[String]) {
    for line in lines {
        errln!("{line}");
    }
}

/// The workbench over a folder's load report, where the last run left off: the errors and
/// warnings go to `warnings` (for standard error) and the first of them to the notice line.
fn whole_workbench(
    report: crate::model::store::Report,
    dir: &std::path::Path,
    theme: Option<&str>,
    remembered: &crate::tui::session::Session,
    warnings: &mut Vec<String>,
) -> crate::tui::app::App {
    let crate::model::store::Report {
        loaded,
        errors,
        warnings: noted,
    } = report;
    let visible = |t: &str| format!("warning: {}", crate::text::visible_text(t));
    warnings.extend(errors.iter().map(|e| visible(&e.to_string())));
    warnings.extend(noted.iter().map(|w| visible(w)));
    // No collection yet is no error: the workbench opens on its welcome (new, import, demo).
    let mut app = open_workbench(loaded, theme);
    app.set_collections_dir(dir.to_path_buf());
    // Where the last run left off (not in the demo, which always opens on its first request).
    crate::tui::session::restore(&mut app, remembered);
    app.session_file = Some(crate::tui::session::path());
    if let Some(e) = errors.first() {
        let more = if errors.len() > 1 {
            format!(" (and {} more)", errors.len() - 1)
        } else {
            String::new()
        };
        app.notify(
            crate::tui::app::Level::Error,
            format!("not loaded: {e}{more}"),
        );
    } else if let Some(w) = noted.first() {
        app.notify(crate::tui::app::Level::Warning, w.clone());
    }
    app
}

/// The workbench over loaded collections: drafts left by a crash are restored (and said so),
/// history and drafts live in the data directory, the theme and keymap come from the config.
pub fn open_workbench(
    loaded: Vec<crate::model::Loaded>,
    theme: Option<&str>,
) -> crate::tui::app::App {
    use crate::model::drafts;
    use crate::tui::workspace::Doc;
    let drafts_dir = drafts::drafts_dir();
    let mut notes = Vec::new();
    let docs = loaded
        .into_iter()
        .map(|mut l| {
            let mut dirty = false;
            match drafts::read(&drafts_dir, &l) {
                Some(Ok(d)) => {
                    l.collection = d.collection;
                    dirty = true;
                    notes.push(format!(
                        "restored unsaved edits to {} (Ctrl-S saves them)",
                        l.path.display()
                    ));
                }
                Some(Err(e)) => notes.push(e),
                None => {}
            }
            Doc {
                loaded: l,
                persistent: true,
                dirty,
                env: None,
            }
        })
        .collect();
    let mut app = crate::tui::app::App::with_docs(docs);
    app.drafts_dir = Some(drafts_dir);
    app.history_dir = Some(crate::model::history::history_dir());
    crate::tui::config::apply(&mut app, theme);
    if !notes.is_empty() {
        app.notify(crate::tui::app::Level::Warning, notes.join("; "));
    }
    app
}

/// A small runtime for one command: current-thread, so start-up stays cheap.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime can be built")
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::Parser;
    use std::ffi::OsString;

    /// The workbench's arguments read without clap are clap's own reading of them, and
    /// anything else (or anything clap would refuse) is left to clap.
    #[test]
    fn the_bare_workbench_reads_its_arguments_as_clap_does() {
        let argv = |a: &[&str]| {
            let mut v = vec![OsString::from("sigscope")];
            v.extend(a.iter().map(OsString::from));
            v
        };
        for a in [
            vec![],
            vec!["--collections", "some/dir"],
            vec!["--collections", "a dir with spaces"],
            vec!["--collections=some/dir"],
            vec!["--collections", "collections"],
        ] {
            let fast = Cli::workbench_only(&argv(&a)).expect("read without clap");
            let clap = Cli::try_parse_from(argv(&a)).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{clap:?}"), "{a:?}");
        }
        for a in [
            vec!["--collections"],
            vec!["--collections", ""],
            vec!["--collections="],
            vec!["--collections", "-x"],
            vec!["--collections", "d", "--theme", "light"],
            vec!["--theme", "light"],
            vec!["--help"],
            vec!["--version"],
            vec!["collections"],
            vec!["--collections", "d", "sign"],
            vec!["--collection", "d"],
        ] {
            assert!(Cli::workbench_only(&argv(&a)).is_none(), "{a:?}");
        }
    }
}
