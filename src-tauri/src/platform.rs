//! What the process sets up about its platform before any window exists.

/// On Linux, WebKitGTK draws the page on the CPU (`WEBKIT_DISABLE_COMPOSITING_MODE`) unless
/// the user asks for the GPU with `CSPULSE_GPU=1` or has set WebKit's switch themselves.
///
/// Why: the dashboard is text, tables and small charts, which the CPU draws at once, while
/// GPU compositing first sets up OpenGL: on laptops without a working driver, in VMs and over
/// remote desktops that is Mesa's software OpenGL, which costs ~0.3–0.5 s of the cold start
/// (README "Cold start") and is behind most blank-window reports about WebKitGTK.
pub fn prepare_webview() {
    #[cfg(target_os = "linux")]
    if cpu_drawing(
        std::env::var_os("CSPULSE_GPU").as_deref(),
        std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some(),
    ) {
        // still one thread: nothing reads the environment concurrently
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

/// Whether to switch WebKit's GPU compositing off: not when the user asked for the GPU, and
/// not when WebKit's own switch is set either way.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn cpu_drawing(gpu: Option<&std::ffi::OsStr>, webkit_switch_set: bool) -> bool {
    !webkit_switch_set && gpu.is_none_or(|g| g != "1")
}

#[cfg(test)]
mod tests {
    use super::cpu_drawing;
    use std::ffi::OsStr;

    #[test]
    fn the_cpu_draws_unless_the_gpu_is_asked_for() {
        assert!(cpu_drawing(None, false));
        assert!(cpu_drawing(Some(OsStr::new("0")), false));
        assert!(!cpu_drawing(Some(OsStr::new("1")), false));
        assert!(
            !cpu_drawing(None, true),
            "the user's own WebKit switch wins"
        );
    }
}
