import "./style.css";
import { start } from "./app";
import { initTexts } from "./i18n";

const root = document.getElementById("app");
if (root) void initTexts().then((texts) => start(root, texts));
