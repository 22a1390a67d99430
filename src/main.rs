//! The confdir binary: parse arguments, then run the UI, a command, or the demo server.

use clap::Parser;
use confdir::cli::{Cli, Command, DemoCommand};

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    if let Some(Command::Demo(DemoCommand::Serve(args))) = &cli.command {
        let runtime = tokio::runtime::Runtime::new()?;
        return runtime.block_on(confdir::demo::serve_command(args));
    }
    if let Some(code) = confdir::commands::run(&cli) {
        std::process::exit(code);
    }
    Ok(())
}
