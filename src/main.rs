//! The `sigscope` binary: parse arguments and hand over to the CLI.

use clap::Parser;

fn main() {
    let early = sigscope::cli::first_screen::Early::guess(std::env::args_os());
    let cli = sigscope::cli::Cli::parse();
    std::process::exit(sigscope::cli::run(cli, early));
}
