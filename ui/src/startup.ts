// The first dashboard is asked for as the script starts, before the texts are set up and
// the window is drawn: the app then draws once, with the numbers, instead of drawing an
// empty frame first and asking afterwards (README "Cold start").
import { getDashboard, type Dashboard } from "./ipc";

let first: { lang: string; answer: Promise<Dashboard> } | null = null;

/** Asks for the latest month's dashboard (`lang` is the language of a possible error). */
export function askFirstDashboard(lang: string): Promise<Dashboard> {
  performance.mark("cspulse:dashboard-asked");
  const answer = getDashboard(null, lang).finally(() => performance.mark("cspulse:dashboard-answered"));
  answer.catch(() => {}); // an error is shown by whoever takes the answer
  first = { lang, answer };
  return answer;
}

/** The answer asked for at start, once, if it is the question (`month` null: the latest). */
export function takeFirstDashboard(month: string | null, lang: string): Promise<Dashboard> | null {
  if (!first || month !== null || first.lang !== lang) return null;
  const { answer } = first;
  first = null;
  return answer;
}

/** `answer`'s data if it arrives within `ms`, else null (an error also gives null). */
export function within<T>(answer: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([
    answer.then(
      (d) => d,
      () => null,
    ),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), ms)),
  ]);
}
