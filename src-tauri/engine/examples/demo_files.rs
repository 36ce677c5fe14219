//! Writes the demo company as canonical CSV files, e.g. for benchmarks:
//! `cargo run --release -p cspulse-engine --example demo_files -- DIR [ACCOUNTS] [USAGE_ROWS]`.

use cspulse_engine::demo::{self, DemoOptions};
use cspulse_engine::model::Kind;
use std::io::{BufWriter, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(
        args.next()
            .ok_or("usage: demo_files DIR [ACCOUNTS] [USAGE_ROWS]")?,
    );
    let accounts = args.next().map(|a| a.parse()).transpose()?.unwrap_or(120);
    let usage_rows = args.next().map(|a| a.parse()).transpose()?;
    let opts = DemoOptions {
        accounts,
        usage_rows,
        ..DemoOptions::default()
    };
    std::fs::create_dir_all(&dir)?;
    for kind in Kind::ALL {
        let path = dir.join(format!("demo-{}.csv", kind.id()));
        let mut out = BufWriter::new(std::fs::File::create(&path)?);
        demo::write_kind(&opts, kind, &mut out)?;
        out.flush()?;
        println!("{}", path.display());
    }
    Ok(())
}
