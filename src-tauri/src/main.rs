// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // started again by itself to read a workbook under limits (engine `worker`): do that
    // job and nothing else, before anything of the GUI exists
    if cspulse_engine::worker::is_worker() {
        std::process::exit(cspulse_engine::worker::serve(cs_pulse_app::app_message));
    }
    cs_pulse_app::platform::prepare_webview();
    cs_pulse_app::run()
}
