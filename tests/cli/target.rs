//! Which `cspulse` these tests run: the one Cargo built for them, or the one named by
//! `CSPULSE_BIN`, started through `CSPULSE_BIN_RUNNER` when that is set. `.ci/test` runs the
//! same tests against the Windows build that way (`CSPULSE_BIN=…/cspulse.exe
//! CSPULSE_BIN_RUNNER=wine`); every test here starts the binary through [`cspulse`].

use std::process::Command;

/// A command that runs the `cspulse` under test (arguments still to add).
pub fn cspulse() -> Command {
    let Some(bin) = std::env::var_os("CSPULSE_BIN").filter(|b| !b.is_empty()) else {
        return Command::new(env!("CARGO_BIN_EXE_cspulse"));
    };
    match std::env::var_os("CSPULSE_BIN_RUNNER").filter(|r| !r.is_empty()) {
        Some(runner) => {
            let mut c = Command::new(runner);
            c.arg(bin);
            c
        }
        None => Command::new(bin),
    }
}
