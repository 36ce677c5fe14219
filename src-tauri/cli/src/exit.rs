//! `cspulse`'s exit codes (`cli.md`): 0 ok, 2 unusable input or arguments, 3 already
//! imported, 1 unexpected (the database or the disk failed, a worker was stopped, a bug).
//! The CLI's own business: the engine only says what went wrong ([`Error`]).

use cspulse_engine::error::Error;

/// The exit code for a command that ended with `e`.
pub fn exit_code(e: &Error) -> u8 {
    match e {
        Error::AlreadyImported { .. } => 3,
        Error::RestoreFailed { source, .. } => exit_code(source),
        Error::Sqlite(_) | Error::Io(_) | Error::Report(_) | Error::Stopped { .. } => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn unusable_input_is_2_already_imported_3_and_failures_of_the_machine_1() {
        let file = PathBuf::from("umsatz.csv");
        let already = || Error::AlreadyImported {
            file: file.clone(),
            batch_id: 7,
        };
        assert_eq!(exit_code(&already()), 3);
        for unusable in [
            Error::NoSuchBatch(7),
            Error::NothingToReport,
            Error::BadMonth("2026-13".into()),
            Error::UnknownKind {
                file: file.clone(),
                sheet: None,
                headers: vec![],
            },
            Error::Database {
                path: PathBuf::from("cs.db"),
                detail: "not a database".into(),
            },
        ] {
            assert_eq!(exit_code(&unusable), 2, "{unusable:?}");
        }
        for failure in [
            Error::Io(std::io::Error::other("disk gone")),
            Error::Report("cannot write".into()),
            Error::Stopped {
                file: file.clone(),
                signal: 9,
            },
        ] {
            assert_eq!(exit_code(&failure), 1, "{failure:?}");
        }
        // a failed restore exits as what made it fail
        let restore = |source| Error::RestoreFailed {
            safety: PathBuf::from("cs.before-restore.db"),
            source: Box::new(source),
        };
        assert_eq!(exit_code(&restore(already())), 3);
        assert_eq!(
            exit_code(&restore(Error::Io(std::io::Error::other("x")))),
            1
        );
        assert_eq!(exit_code(&restore(Error::NoSuchBatch(1))), 2);
    }
}
