import "./style.css";
import { render } from "preact";
import { App } from "./app";
import { initTexts, pickLang, systemTag } from "./i18n";
import { askFirstDashboard, takeFirstDashboard, within } from "./startup";

performance.mark("cspulse:script");
const lang = pickLang(systemTag());
const asked = askFirstDashboard(lang);
const root = document.getElementById("app");
// the window is drawn once the numbers are there, or after 300 ms with a "loading" note
if (root)
  void Promise.all([initTexts(), within(asked, 300)]).then(([texts, first]) => {
    if (first) takeFirstDashboard(null, lang); // used here: not asked again
    render(<App initial={texts} first={first} />, root);
  });
