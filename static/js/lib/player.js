/**
 * Play/pause/step controls for the animations (a kernel sliding, the course's loops run step by step):
 *
 *   player({count, get, set, label})    buttons « ‹ play › and a speed menu; .stop(), .setText(position)
 */
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** Play/pause/step controls. positions: how many; get(): current index; set(k): go to k. */
export function player({ count, get, set, label }) {
  let timer = null;
  const speeds = [
    ["slow", 700],
    ["normal", 260],
    ["fast", 60],
  ];
  let delay = 260;
  const posEl = h("span", { class: "pos", attrs: { "aria-live": "off" } });
  const playBtn = h("button", { type: "button", class: "btn btn--small", dataset: { action: "play" } });
  const stop = () => {
    clearInterval(timer);
    timer = null;
    playBtn.textContent = `${t("player.play")} ▶`;
    playBtn.setAttribute("aria-pressed", "false");
  };
  const tick = () => {
    const next = get() + 1;
    if (next >= count()) {
      stop();
      return;
    }
    set(next);
  };
  const start = () => {
    if (get() >= count() - 1) set(0);
    timer = setInterval(tick, delay);
    playBtn.textContent = t("player.pause");
    playBtn.setAttribute("aria-pressed", "true");
  };
  playBtn.addEventListener("click", () => (timer ? stop() : start()));
  const stepBtn = (text, aria, delta) =>
    h("button", {
      type: "button",
      class: "btn btn--small",
      text,
      attrs: { "aria-label": aria },
      on: {
        click: () => {
          stop();
          set(Math.max(0, Math.min(count() - 1, get() + delta)));
        },
      },
    });
  const speed = h(
    "select",
    {
      attrs: { "aria-label": t("player.speed") },
      on: {
        change: () => {
          delay = Number(speed.value);
          if (timer) {
            stop();
            start();
          }
        },
      },
    },
    ...speeds.map(([key, ms]) => h("option", { value: String(ms), text: t(`player.${key}`), selected: ms === delay })),
  );
  const el = h(
    "div",
    { class: "player", attrs: { role: "group", "aria-label": label || t("player.label") } },
    stepBtn("«", t("player.first"), -Infinity),
    stepBtn("‹", t("player.back"), -1),
    playBtn,
    stepBtn("›", t("player.step"), 1),
    speed,
    posEl,
  );
  stop();
  el.stop = stop;
  el.setText = (text) => {
    posEl.textContent = text;
  };
  return el;
}
