//! The `sigscope` binary: parse arguments and hand over to the CLI.

use clap::Parser;

fn main() {
    let cli = sigscope::cli::Cli::parse();
    std::process::exit(sigscope::cli::run(cli));
}
