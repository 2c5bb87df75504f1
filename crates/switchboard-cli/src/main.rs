//! The `switchboard` binary: reads standard input only when a command takes it.

use std::io::{Read, Write};
use std::process::ExitCode;

/// mimalloc: the server allocates a little per request, from many threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut stdin = Vec::new();
    if switchboard_cli::wants_stdin(&args)
        && let Err(e) = std::io::stdin().read_to_end(&mut stdin)
    {
        eprintln!("switchboard: cannot read standard input: {e}");
        return ExitCode::from(1);
    }
    let out = switchboard_cli::run(args, &stdin);
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(out.code)
}
