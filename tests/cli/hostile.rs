//! Inputs the fuzzers found (`fuzz/artifacts/`, see its README): whatever the import makes of
//! them, the user gets one plain line, exit 1 or 2, and no database is written. Panics inside
//! a reader end at the CLI's boundary today; once the import rewrite rejects these files
//! itself they exit 2 with a reason, which this test accepts as well. The out-of-memory
//! inputs are read by the worker under a small memory limit: whichever way the system stops
//! it (Linux: the address-space limit; Windows: the job's limit; Wine and macOS: the
//! watchdog), the user reads that the file needs more memory than allowed.

#[test]
fn workbooks_found_by_fuzzing_end_with_one_plain_line_and_write_nothing() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/artifacts/workbook_import");
    let inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("crash-"))
        })
        .collect();
    assert!(!inputs.is_empty(), "no fuzz findings in {}", dir.display());
    let tmp = tempfile::tempdir().unwrap();
    for input in inputs {
        let file = tmp.path().join("export.xls");
        std::fs::copy(&input, &file).unwrap();
        let db = tmp.path().join("cs.db");
        let out = crate::target::cspulse()
            .env_remove("CSPULSE_DB")
            .env_remove("CSPULSE_DEBUG")
            .env("LC_ALL", "en_US.UTF-8")
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        let what = input.file_name().unwrap().to_string_lossy().into_owned();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{what}: exit {:?}: {err}",
            out.status.code()
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{what}: one line: {err}");
        assert!(err.starts_with("cspulse: "), "{what}: {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert!(!db.exists(), "{what}: no database written");
    }
}

#[test]
fn workbooks_that_exhaust_memory_end_with_the_too_large_line_and_write_nothing() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/artifacts/workbook_import");
    let inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("oom-"))
        })
        .collect();
    assert!(
        !inputs.is_empty(),
        "no out-of-memory findings in {}",
        dir.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    for input in inputs {
        let file = tmp.path().join("export.xls");
        std::fs::copy(&input, &file).unwrap();
        let db = tmp.path().join("cs.db");
        let out = crate::target::cspulse()
            .env_remove("CSPULSE_DB")
            .env("CSPULSE_IMPORT_MEMORY_MB", "256")
            .env("LC_ALL", "en_US.UTF-8")
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        let what = input.file_name().unwrap().to_string_lossy().into_owned();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{what}: one line: {err}");
        assert!(err.contains("more memory than allowed"), "{what}: {err}");
        assert!(!db.exists(), "{what}: no database written");
    }
}
