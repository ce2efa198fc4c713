//! The `sigscope` binary: parse arguments and hand over to the CLI.

use clap::Parser;

fn main() {
    let args: Vec<_> = std::env::args_os().collect();
    let cli = sigscope::cli::Cli::workbench_only(&args);
    let cli = cli.unwrap_or_else(|| sigscope::cli::Cli::parse_from(args));
    std::process::exit(sigscope::cli::run(cli));
}
