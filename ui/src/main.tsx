import "./style.css";
import { render } from "preact";
import { App } from "./app";
import { initTexts } from "./i18n";

performance.mark("cspulse:script");
const root = document.getElementById("app");
if (root) void initTexts().then((texts) => render(<App initial={texts} />, root));
