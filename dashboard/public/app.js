// The dashboard page: plain DOM, one tiny element helper, no framework and no network beyond
// its own server. Snapshots arrive on a Server-Sent Events stream (/events); the views that
// look one thing up read /api/*. Every figure drawn comes from the L1 JSON-RPC, the L2
// JSON-RPC or the Beacon API, read by the server (dashboard/observer.ts).

/** h("td", { class: "num" }, "12") → an element; children are nodes, strings or arrays. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "style" && typeof v === "object") Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const view = document.getElementById("view");
const live = document.getElementById("live");
const chain = document.getElementById("chain");
let snap = null;
let receivedAt = 0;

// ─── formatting ─────────────────────────────────────────────────────────────────────────
const WEI = 10n ** 18n;
function eth(wei, digits = 6) {
  const v = BigInt(wei);
  const whole = v / WEI;
  const frac = (v % WEI).toString().padStart(18, "0").slice(0, digits).replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""} ETH`;
}
const gwei = (wei) => `${(Number(wei) / 1e9).toLocaleString("en-US", { maximumFractionDigits: 1 })} gwei`;
const num = (n) => (n === null || n === undefined ? "—" : Number(n).toLocaleString("en-US"));
const short = (hex) => (hex ? `${hex.slice(0, 10)}…${hex.slice(-4)}` : "—");
function duration(s) {
  if (s <= 0) return "0 s";
  const d = Math.floor(s / 86400), hh = Math.floor((s % 86400) / 3600), mm = Math.floor((s % 3600) / 60), ss = Math.floor(s % 60);
  const parts = d ? [[d, "d"], [hh, "h"], [mm, "m"], [ss, "s"]] : hh ? [[hh, "h"], [mm, "m"], [ss, "s"]] : mm ? [[mm, "m"], [ss, "s"]] : [[ss, " s"]];
  while (parts.length > 1 && parts[parts.length - 1][0] === 0) parts.pop();
  return parts.map(([n, u]) => `${n}${u}`).join(" ");
}
/** L1 time now, counted on from the head block the server saw. */
const l1Now = () => (snap ? snap.l1.timestamp + Math.max(0, Date.now() - snap.l1.seenAt) / 1000 : 0);
const txLink = (hash) => h("a", { href: `#/tx/${hash}`, class: "mono" }, short(hash));
const batchLink = (i) => h("a", { href: `#/batch/${i}` }, `#${i}`);
const badge = (text, cls) => h("span", { class: `badge ${cls ?? ""}` }, text);
/** A countdown to an L1 timestamp, updated every second by tick(). */
const countdown = (until, doneText) => h("span", { "data-until": until, "data-done": doneText ?? "now" }, duration(until - l1Now()));
const ACCOUNT = { 0: "—", 1: "withdrawal slot" };

function tick() {
  for (const el of document.querySelectorAll("[data-until]")) {
    const left = Number(el.dataset.until) - l1Now();
    el.textContent = left > 0 ? duration(left) : el.dataset.done;
  }
  for (const el of document.querySelectorAll("[data-clock]")) {
    const left = Number(el.dataset.clock) - (el.dataset.running === "1" ? (Date.now() - receivedAt) / 1000 : 0);
    el.textContent = duration(Math.max(0, left));
  }
}
setInterval(tick, 1000);

// ─── views ──────────────────────────────────────────────────────────────────────────────
function stageBadge(b) {
  if (b.contested && b.stage !== "final") return badge("contested", "b-contested");
  return badge(b.stage === "onL1" ? "on L1" : b.stage, `b-${b.stage}`);
}
function daBadge(da) {
  return da ? badge(da, `b-${da}`) : h("span", { class: "muted" }, "—");
}
function settlement(b) {
  if (b.stage === "final") return h("span", {}, "final");
  if (b.proof) return h("span", {}, `proof ${b.proof.status}${b.proof.seconds !== null ? ` (${b.proof.seconds.toFixed(1)} s)` : ""}`);
  if (b.contested) return h("span", { class: "muted" }, "a game is open: not final until it ends");
  if (b.finalizableAt !== null) return h("span", {}, "final in ", countdown(b.finalizableAt, "window over"));
  return h("span", { class: "muted" }, "not on L1 yet");
}

function pipeline() {
  const status = snap.l2.status;
  const open = status?.openBatch;
  const by = (stage) => snap.batches.filter((b) => b.stage === stage);
  const onL1 = by("onL1");
  const stage = (n, t, small) => h("div", { class: "stage" }, h("div", { class: "t" }, t), h("div", { class: "n" }, n), h("small", {}, small));
  const arrow = () => h("div", { class: "arrow" }, "→");
  const overdue = snap.queue.pending.filter((e) => e.overdue).length;
  const zk = snap.prover.mode === "zk";
  return [
    h("h2", {}, "Pipeline"),
    h(
      "div",
      { class: "flow", id: "flow" },
      stage(snap.queue.pending.length, "L1 queue", `${num(snap.queue.length)} entries, ${num(snap.queue.consumed)} consumed${overdue ? `, ${overdue} OVERDUE` : ""}`),
      arrow(),
      stage(open ? open.size : 0, "L2 ops (open batch)", open ? `batch #${open.index}, open ${duration((Date.now() - open.openedAt) / 1000)}` : "no open batch"),
      arrow(),
      stage(by("sealed").length, "sealed", "built, not on L1 yet"),
      arrow(),
      stage(onL1.length, "on L1", zk ? "being proved / posted" : `in the ${duration(snap.rollup.challengeWindow)} challenge window`),
      arrow(),
      stage(snap.rollup.finalBatchCount, "final", zk ? "proof verified on L1" : "window passed, no open game"),
    ),
    h(
      "div",
      { class: "card" },
      h("h3", {}, `Batches (newest first, ${snap.batches.length} of ${num(Math.max(snap.rollup.batchCount, status?.batches ?? 0))})`),
      h(
        "table",
        { id: "batches" },
        h("tr", {}, ["batch", "stage", "ops", "queue", "data", "L1 bytes", "L1 gas", "blob gas", "L1 fee", "fee / op", "L1 tx", "settlement"].map((c, i) => h("th", { class: i >= 2 && i <= 9 && i !== 4 ? "num" : "" }, c))),
        snap.batches.map((b) => {
          const ops = (b.opCount ?? 0) + b.queueEntries;
          return h(
            "tr",
            { "data-batch": b.index },
            h("td", {}, batchLink(b.index)),
            h("td", {}, stageBadge(b)),
            h("td", { class: "num" }, num(b.opCount)),
            h("td", { class: "num" }, num(b.queueEntries)),
            h("td", {}, daBadge(b.da)),
            h("td", { class: "num" }, b.l1 ? (b.l1.blobs ? `${num(b.payloadBytes)} in ${b.l1.blobs} blob` : num(b.l1.calldataBytes)) : "—"),
            h("td", { class: "num" }, b.l1 ? num(b.l1.gasUsed) : "—"),
            h("td", { class: "num" }, b.l1 && b.l1.blobGasUsed !== "0" ? num(b.l1.blobGasUsed) : "—"),
            h("td", { class: "num" }, b.l1 ? eth(b.l1.feeWei) : "—"),
            h("td", { class: "num" }, b.l1 && ops ? gwei(BigInt(b.l1.feeWei) / BigInt(ops)) : "—"),
            h("td", {}, b.l1 ? txLink(b.l1.txHash) : "—"),
            h("td", {}, settlement(b)),
          );
        }),
      ),
    ),
    snap.invalidated.length
      ? h("div", { class: "card" }, h("h3", {}, "Postings proven wrong and removed"), h("table", {}, snap.invalidated.map((p) => h("tr", {}, h("td", {}, `batch #${p.index}`), h("td", {}, `posting ${p.instance + 1}`), h("td", {}, txLink(p.txHash)), h("td", { class: "mono" }, `post root ${short(p.postStateRoot)}`)))))
      : null,
  ];
}

function rangeBar(lo, hi, n, hot) {
  const left = n ? (lo / n) * 100 : 0;
  const width = n ? ((hi - lo) / n) * 100 : 100;
  return h("div", { class: "track", title: `[${lo}, ${hi}] of ${n} steps` }, h("div", { class: `seg${hot ? " hot" : ""}`, style: { left: `${left}%`, width: `${width}%` } }));
}

const MOVE_TEXT = {
  GameStarted: (m) => `challenge of batch #${m.detail.batchIndex}: ${m.detail.stepCount} steps in dispute, bond ${eth(m.detail.bond)}`,
  LeavesRevealed: () => "defender opens: reveals the first and last step hashes",
  MidpointRevealed: (m) => `defender reveals its step hash ${m.detail.index}`,
  Bisected: (m) => `challenger ${m.detail.agreed ? "AGREES" : "DISAGREES"} with the midpoint → [${m.lo}, ${m.hi}]`,
  StepProven: (m) => `one-step proof of step ${m.detail.step} on L1 (${m.detail.call}${m.detail.openings ? `, ${m.detail.openings} KZG openings` : m.detail.opBytes ? `, a ${m.detail.opBytes}-byte op` : ""})`,
  GameResolved: (m) => `resolved: ${["timeout", "step disproved", "step confirmed", "batch invalidated"][m.detail.reason]}, ${eth(m.detail.payout)} to ${short(m.detail.winner)}`,
  SlashBurned: (m) => `${eth(m.detail.amount)} of the proposer's bond burned`,
};

function gameCard(g) {
  const proof = g.moves.find((m) => m.kind === "StepProven");
  const role = (addr) => (addr.toLowerCase() === g.challenger.toLowerCase() ? "challenger" : addr.toLowerCase() === g.defender.toLowerCase() ? "defender" : short(addr));
  const clock = (who, seconds, toMove) =>
    h("div", {}, h("div", { class: "muted" }, `${who}'s clock${toMove && g.open ? " (to move)" : ""}`), h("div", { class: `clock${toMove && g.open ? " ticking" : ""}`, "data-clock": seconds, "data-running": toMove && g.open ? "1" : "0" }, duration(seconds)));
  // One transaction may emit several events (open reveals leaves and a midpoint; a one-step
  // proof resolves the game and burns): its gas is counted once, on its first event.
  const firstOfTx = g.moves.map((m, i) => g.moves.findIndex((o) => o.txHash === m.txHash) === i);
  const totalGas = g.moves.reduce((s, m, i) => (firstOfTx[i] ? s + BigInt(m.gasUsed) : s), 0n);
  return h(
    "div",
    { class: "card game", "data-game": g.id },
    h("h3", {}, `Game #${g.id} on batch `, batchLink(g.batchIndex), " ", badge(g.status, g.open ? "b-onL1" : g.status === "ChallengerWon" ? "b-red" : "b-final"), " ", daBadge(g.da)),
    h(
      "div",
      { class: "grid" },
      clock("defender", g.clocks.defender, g.defenderToMove),
      clock("challenger", g.clocks.challenger, !g.defenderToMove),
      h("div", {}, h("div", { class: "muted" }, "challenge bond (in the game)"), h("div", { class: "big" }, eth(g.bond))),
      h("div", {}, h("div", { class: "muted" }, "proposer's bond on the rollup now"), h("div", { class: "big" }, eth(g.defenderBond))),
    ),
    h("p", {}, `Disputed range: steps [${g.lo}, ${g.hi}] of ${g.stepCount}`, g.hi - g.lo === 1 ? " — one step left: the next move is the one-step proof" : ""),
    rangeBar(g.lo, g.hi, g.stepCount, g.hi - g.lo <= 1),
    h(
      "table",
      { class: "moves" },
      h("tr", {}, h("th", {}, "#"), h("th", {}, "move"), h("th", {}, "by"), h("th", { class: "num" }, "gas"), h("th", {}, "range after the move"), h("th", {}, "L1 tx")),
      g.moves.map((m, i) =>
        h(
          "tr",
          { class: "move", "data-kind": m.kind },
          h("td", {}, i + 1),
          h("td", {}, (MOVE_TEXT[m.kind] ?? (() => m.kind))(m)),
          h("td", {}, role(m.from)),
          h("td", { class: "num" }, firstOfTx[i] ? num(m.gasUsed) : h("span", { class: "muted" }, "same tx")),
          h("td", { class: "bar" }, rangeBar(m.lo, m.hi, g.stepCount, m.hi - m.lo <= 1)),
          h("td", {}, txLink(m.txHash)),
        ),
      ),
      h("tr", {}, h("td", {}), h("td", {}, h("strong", {}, `${firstOfTx.filter(Boolean).length} transactions`)), h("td", {}), h("td", { class: "num" }, h("strong", {}, num(totalGas))), h("td", {}), h("td", {})),
    ),
    proof
      ? h(
          "div",
          { class: `outcome${proof.detail.fraud ? "" : " ok"}`, id: `outcome-${g.id}` },
          h("strong", {}, proof.detail.fraud ? "FRAUD PROVEN on L1" : "The claim stands"),
          h("div", { class: "mono" }, `L1 re-executed step ${proof.detail.step}: got ${short(proof.detail.postStepHash)}, the proposer claimed ${short(proof.detail.claimed)} (${num(proof.gasUsed)} gas)`),
          g.openedElements.length ? h("div", {}, `The op was read from the blob through ${g.openedElements.length} KZG openings: elements ${g.openedElements.join(", ")} — `, h("a", { href: `#/blob/${g.batchIndex}` }, "see them in the blob")) : null,
        )
      : null,
  );
}

function disputes() {
  if (!snap.games.length) {
    return [h("h2", {}, "Disputes"), h("div", { class: "card" }, h("p", {}, "No dispute game yet. Every batch is re-derived from L1 by the challenger agent; start a devnet that cheats once to see one:"), h("pre", {}, "npm run devnet -- --fault wrong-root"))];
  }
  return [h("h2", {}, "Disputes"), [...snap.games].reverse().map(gameCard)];
}

function blobs() {
  // Only the postings on L1: a blob batch the sequencer has sealed but not yet posted (or whose
  // posting a fraud proof removed) has no L1 transaction to show.
  const list = snap.batches.filter((b) => b.da === "blobs" && b.l1);
  return [
    h("h2", {}, "Blobs"),
    list.length
      ? h("div", { class: "card" }, h("table", {}, h("tr", {}, ["batch", "blobs", "payload bytes", "blob gas", "L1 tx", ""].map((c) => h("th", {}, c))), list.map((b) => h("tr", {}, h("td", {}, batchLink(b.index)), h("td", {}, b.l1.blobs), h("td", {}, num(b.payloadBytes)), h("td", {}, num(b.l1.blobGasUsed)), h("td", {}, txLink(b.l1.txHash)), h("td", {}, h("a", { href: `#/blob/${b.index}` }, "open the blob"))))))
      : h("div", { class: "card" }, h("p", {}, "No blob batch among the recent batches. Start a devnet that posts its batches in EIP-4844 blobs:"), h("pre", {}, "npm run devnet -- --da blobs")),
  ];
}

const COLORS = { header: "#d98a00", opA: "#2f6fde", opB: "#7fa8f0", zero: "#e6e9ef", opened: "#d23c3c" };
async function blobDetail(index) {
  const data = await (await fetch(`/api/blob/${index}`)).json();
  if (data.error) return [h("h2", {}, `Blob batch #${index}`), h("div", { class: "card" }, data.error)];
  // Element e carries stream bytes [31e, 31e + 31); the payload starts after the 31-byte header.
  const opOf = (e) => (e === 0 ? null : Math.floor(((e - 1) * data.dataBytesPerElement) / data.recordSize));
  const opsIn = (e) => {
    const last = Math.min(data.opCount - 1, Math.floor((e * data.dataBytesPerElement - 1) / data.recordSize));
    return opOf(e) === last ? `op ${last}` : `ops ${opOf(e)} and ${last}`;
  };
  const info = h("div", { class: "mono", id: "blob-hover" }, "hover an element");
  const canvases = data.blobs.map((blob) => {
    const canvas = h("canvas", { class: "blob", width: 64, height: 64, "data-blob": blob.index });
    const ctx = canvas.getContext("2d");
    for (let i = 0; i < data.elementsPerBlob; i++) {
      const e = blob.index * data.elementsPerBlob + i;
      const op = opOf(e);
      ctx.fillStyle = data.openedElements.includes(e) ? COLORS.opened : e === 0 ? COLORS.header : e < data.usedElements ? (op % 2 ? COLORS.opB : COLORS.opA) : COLORS.zero;
      ctx.fillRect(i % 64, Math.floor(i / 64), 1, 1);
    }
    canvas.addEventListener("mousemove", (ev) => {
      const r = canvas.getBoundingClientRect();
      const i = Math.floor(((ev.clientY - r.top) / r.height) * 64) * 64 + Math.floor(((ev.clientX - r.left) / r.width) * 64);
      const e = blob.index * data.elementsPerBlob + i;
      const what = e === 0 ? "stream header (version, payload length)" : e < data.usedElements ? `bytes of ${opsIn(e)}` : "zero padding";
      info.textContent = `element ${i} of blob ${blob.index}: ${what}${data.openedElements.includes(e) ? " — OPENED by the one-step proof" : ""}${data.elements[e] ? `\nvalue ${data.elements[e]}` : ""}`;
    });
    return h(
      "div",
      { class: "card" },
      h("h3", {}, `Blob ${blob.index}`),
      h("dl", { class: "kv" }, h("dt", {}, "KZG commitment"), h("dd", { class: "mono", id: `commitment-${blob.index}` }, blob.kzgCommitment), h("dt", {}, "versioned hash"), h("dd", { class: "mono" }, blob.versionedHash, " = 0x01 ‖ sha256(commitment)[1:] ", blob.matches ? badge("= BLOBHASH on L1", "b-final") : badge("mismatch", "b-red")), h("dt", {}, "KZG proof"), h("dd", { class: "mono" }, blob.kzgProof)),
      canvas,
    );
  });
  const shown = Math.min(data.usedElements, 48);
  const elementTable = h(
    "div",
    { class: "card" },
    h("h3", {}, `The first ${shown} of ${num(data.usedElements)} used elements`),
    h("table", { id: "elements" }, h("tr", {}, h("th", {}, "element"), h("th", {}, "holds"), h("th", {}, "value (32 bytes, first byte 0)")), Array.from({ length: shown }, (_, e) => h("tr", { class: data.openedElements.includes(e) ? "opened" : "" }, h("td", {}, e), h("td", {}, e === 0 ? "header: version 0, payload length" : opsIn(e), data.openedElements.includes(e) ? [" ", badge("opened on L1", "b-red")] : null), h("td", { class: "mono" }, data.elements[e])))),
  );
  return [
    h("h2", {}, "Blob batch ", batchLink(index), ` (L1 block ${data.block}, posting ${data.instance + 1}${data.invalidated ? ": proven wrong on L1 and removed" : ""})`),
    h("div", { class: "card" }, h("p", {}, `${num(data.payloadLength)} payload bytes = ${data.opCount} ops × ${data.recordSize} bytes, in ${num(data.usedElements)} of ${num(data.elementsPerBlob * data.blobs.length)} field elements (31 data bytes each, first byte 0). The rest of the blob is zero and still paid for: ${num(131072 * data.blobs.length)} blob gas.`), h("div", { class: "legend" }, h("span", {}, h("i", { style: { background: COLORS.header } }), "header"), h("span", {}, h("i", { style: { background: COLORS.opA } }), h("i", { style: { background: COLORS.opB } }), "ops (alternating)"), h("span", {}, h("i", { style: { background: COLORS.zero } }), "zero"), h("span", {}, h("i", { style: { background: COLORS.opened } }), "opened by a one-step proof")), info),
    canvases,
    elementTable,
  ];
}

function prover() {
  if (snap.prover.mode !== "zk") {
    return [h("h2", {}, "Prover"), h("div", { class: "card" }, h("p", {}, "This rollup settles optimistically: batches wait out the challenge window, no proofs. Start one that proves every batch with Groth16 (final at once):"), h("pre", {}, "npm run devnet -- --settlement zk"))];
  }
  const max = Math.max(1, ...snap.prover.batches.map((b) => b.seconds ?? 0));
  return [
    h("h2", {}, "Prover (ZK settlement)"),
    h("div", { class: "grid" }, h("div", { class: "card" }, h("div", { class: "muted" }, "proving jobs queued or running"), h("div", { class: "big", id: "prover-queue" }, num(snap.prover.queue)))),
    h(
      "div",
      { class: "card" },
      h("table", { id: "proofs" }, h("tr", {}, h("th", {}, "batch"), h("th", {}, "proof"), h("th", { class: "num" }, "seconds"), h("th", {}, "")), [...snap.prover.batches].reverse().map((b) => h("tr", {}, h("td", {}, batchLink(b.index)), h("td", {}, badge(b.status, b.status === "proven" ? "b-final" : b.status === "failed" ? "b-red" : "b-onL1")), h("td", { class: "num" }, b.seconds === null ? "—" : b.seconds.toFixed(1)), h("td", { style: { width: "50%" } }, h("div", { class: "track" }, h("div", { class: "seg", style: { width: `${((b.seconds ?? 0) / max) * 100}%` } })))))),
    ),
  ];
}

function exits() {
  const x = snap.exits;
  return [
    h("h2", {}, "Exits"),
    h(
      "div",
      { class: "card" },
      h("div", { class: "big", id: "exodus-state" }, x.exodus ? badge("EXODUS: the operator is off; everyone exits from the last final state", "b-red") : badge("normal operation (Rollup.exodus() = false)", "b-final")),
      x.activation ? h("p", {}, `Activated with queue entry ${x.activation.queueIndex}; ${x.activation.finalBatches} final batches kept. `, txLink(x.activation.txHash)) : null,
      x.overdue ? h("p", {}, `Queue entry ${x.overdue.queueIndex} is overdue: anyone may call Rollup.activateExodus(${x.overdue.queueIndex}) in `, countdown(x.overdue.dueAt, "now"), " unless a batch consumes it.") : h("p", { class: "muted" }, "No queue entry is overdue: the operator includes what L1 users ask for."),
    ),
    h("div", { class: "card" }, h("h3", {}, "L1 queue entries not yet in a batch"), snap.queue.pending.length ? h("table", {}, h("tr", {}, ["#", "kind", "from", "amount", "deadline"].map((c) => h("th", {}, c))), snap.queue.pending.map((e) => h("tr", {}, h("td", {}, e.index), h("td", {}, e.kind), h("td", { class: "mono" }, short(e.l1Address)), h("td", {}, eth(e.amount)), h("td", {}, e.overdue ? badge("overdue", "b-red") : countdown(e.deadline, "overdue"))))) : h("p", { class: "muted" }, "none")),
    h("div", { class: "card" }, h("h3", {}, "Paid on L1"), x.paid.length ? h("table", {}, h("tr", {}, ["kind", "to", "token", "amount", "tx"].map((c) => h("th", {}, c))), [...x.paid].reverse().map((p) => h("tr", {}, h("td", {}, p.kind), h("td", { class: "mono" }, short(p.recipient)), h("td", {}, p.tokenId), h("td", {}, p.tokenId === 0 ? eth(p.amount) : num(p.amount)), h("td", {}, txLink(p.txHash))))) : h("p", { class: "muted" }, "no withdrawal claimed yet")),
  ];
}

function accounts() {
  return [
    h("h2", {}, "Accounts"),
    h("div", { class: "card" }, h("table", { id: "accounts" }, h("tr", {}, ["L2 #", "token", "L2 balance", "nonce", "L1 owner", "owner's L1 ETH"].map((c, i) => h("th", { class: i === 2 || i === 3 || i === 5 ? "num" : "" }, c))), snap.accounts.map((a) => h("tr", {}, h("td", {}, a.index), h("td", {}, a.tokenId === 0 ? "ETH" : `token ${a.tokenId}`), h("td", { class: "num" }, ACCOUNT[a.index] ?? (a.tokenId === 0 ? eth(a.balance) : num(a.balance))), h("td", { class: "num" }, a.nonce), h("td", { class: "mono" }, a.ethAddr), h("td", { class: "num" }, eth(a.l1Balance, 3)))))),
  ];
}

async function batchDetail(index) {
  const b = await (await fetch(`/api/batch/${index}`)).json();
  if (!b) return [h("h2", {}, `Batch #${index}`), h("div", { class: "card" }, "no such batch")];
  const games = snap.games.filter((g) => g.batchIndex === index);
  return [
    h("h2", {}, `Batch #${index} `, stageBadge(b), " ", daBadge(b.da)),
    h(
      "div",
      { class: "card" },
      h(
        "dl",
        { class: "kv" },
        h("dt", {}, "ops / queue entries / steps"), h("dd", {}, `${num(b.opCount)} / ${b.queueEntries} / ${num(b.stepCount)}`),
        h("dt", {}, "payload"), h("dd", {}, `${num(b.payloadBytes)} bytes`),
        h("dt", {}, "post-state root"), h("dd", { class: "mono" }, b.postStateRoot ?? "—"),
        h("dt", {}, "settlement"), h("dd", {}, settlement(b)),
        h("dt", {}, "L1 postings"), h("dd", {}, b.postings.length ? b.postings.map((p) => h("div", {}, txLink(p.txHash), ` block ${p.block}, ${num(p.gasUsed)} gas, fee ${eth(p.feeWei)}${p.invalidated ? " — proven wrong, removed" : ""}`)) : "not on L1 yet"),
        b.da === "blobs" ? [h("dt", {}, "blobs"), h("dd", {}, h("a", { href: `#/blob/${index}` }, "open the blob view"))] : null,
        games.length ? [h("dt", {}, "games"), h("dd", {}, games.map((g) => h("a", { href: "#/disputes" }, `game #${g.id} (${g.status}) `)))] : null,
      ),
    ),
  ];
}

async function opDetail(hash) {
  const r = await (await fetch(`/api/op/${hash}`)).json();
  if (!r) return [h("h2", {}, "L2 op"), h("div", { class: "card" }, `no op ${hash}`)];
  const { op } = r;
  return [
    h("h2", {}, `L2 op `, badge(op.status, `b-${op.status === "final" ? "final" : op.status === "batched" ? "onL1" : "sealed"}`)),
    h("div", { class: "card" }, h("dl", { class: "kv" }, h("dt", {}, "hash"), h("dd", { class: "mono" }, op.hash), h("dt", {}, "kind"), h("dd", {}, op.kind), h("dt", {}, "from → to"), h("dd", {}, `#${op.fromIdx} → #${op.toIdx}`), h("dt", {}, "amount / fee"), h("dd", {}, `${eth(op.amount)} / ${op.fee} wei`), h("dt", {}, "nonce"), h("dd", {}, op.nonce), h("dt", {}, "batch"), h("dd", {}, op.batch === null ? "open batch" : batchLink(op.batch)), h("dt", {}, "L1 transaction"), h("dd", {}, op.l1TxHash ? txLink(op.l1TxHash) : "not on L1 yet"))),
  ];
}

async function txDetail(hash) {
  const t = await (await fetch(`/api/tx/${hash}`)).json();
  if (!t) return [h("h2", {}, "L1 transaction"), h("div", { class: "card" }, `no transaction ${hash}`)];
  return [
    h("h2", {}, "L1 transaction"),
    h(
      "div",
      { class: "card" },
      h(
        "dl",
        { class: "kv" },
        h("dt", {}, "hash"), h("dd", { class: "mono" }, t.hash),
        h("dt", {}, "call"), h("dd", {}, t.call ?? "—", ` (${t.type}, ${num(t.inputBytes)} input bytes)`),
        h("dt", {}, "from → to"), h("dd", { class: "mono" }, `${t.from} → ${t.to}`),
        h("dt", {}, "block / status"), h("dd", {}, `${t.block} / ${t.status}`),
        h("dt", {}, "gas × price"), h("dd", {}, `${num(t.gasUsed)} × ${gwei(t.effectiveGasPrice ?? 0)}`),
        t.blobVersionedHashes.length ? [h("dt", {}, "blobs"), h("dd", { class: "mono" }, t.blobVersionedHashes.join(" "), ` — ${num(t.blobGasUsed)} blob gas × ${t.blobGasPrice} wei`)] : null,
        h("dt", {}, "value"), h("dd", {}, eth(t.value)),
        t.batches.length ? [h("dt", {}, "posts batch"), h("dd", {}, t.batches.map(batchLink))] : null,
      ),
    ),
  ];
}

// ─── routing and the live stream ───────────────────────────────────────────────────────
const ROUTES = { pipeline, disputes, blobs, prover, exits, accounts };
const DETAILS = { batch: batchDetail, op: opDetail, tx: txDetail, blob: blobDetail };
let rendering = Promise.resolve();
let detailKey = "";

function render(force) {
  rendering = rendering.then(async () => {
    if (!snap) return;
    const [, name = "pipeline", arg] = location.hash.split("/");
    for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.getAttribute("href") === `#/${name}` || (name === "blob" && a.getAttribute("href") === "#/blobs"));
    const l2 = snap.l2.status;
    chain.textContent = `L1 block ${snap.l1.head} · ${snap.prover.mode} · L2 ${l2 ? `${l2.accounts} accounts, root ${short(l2.stateRoot)}` : `unreachable: ${snap.l2.error}`}`;
    const detail = DETAILS[name];
    // Detail views read the API: again when the rollup changes, not on every frame.
    const key = `${location.hash}:${snap.l1.head}:${l2?.batches}:${l2?.postedBatches}:${l2?.finalBatches}`;
    if (detail && !force && key === detailKey) return;
    detailKey = key;
    const scroll = window.scrollY;
    const nodes = detail ? await detail(arg) : (ROUTES[name] ?? pipeline)();
    view.replaceChildren(...[nodes].flat(Infinity).filter(Boolean));
    window.scrollTo(0, scroll);
    document.body.dataset.view = name;
    document.body.dataset.head = snap.l1.head;
  }).catch((error) => {
    // One view that fails to draw must not stop every later render: say so, draw again next time.
    console.error("the dashboard could not draw this view:", error);
    detailKey = "";
    view.replaceChildren(h("div", { class: "card" }, h("p", {}, `This view could not be drawn (${error?.message ?? error}); it is drawn again at the next update.`)));
  });
  return rendering;
}

window.addEventListener("hashchange", () => render(true));
document.getElementById("search").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const q = new FormData(ev.target).get("q");
  const r = await (await fetch(`/api/search?q=${encodeURIComponent(q)}`)).json();
  if (r.route) location.hash = r.route;
  else alert(r.error);
});

const events = new EventSource("/events");
events.onopen = () => {
  live.className = "dot on";
  live.textContent = "live";
};
events.onerror = () => {
  live.className = "dot off";
  live.textContent = "reconnecting…";
};
events.onmessage = (message) => {
  snap = JSON.parse(message.data);
  receivedAt = Date.now();
  render(false);
};
