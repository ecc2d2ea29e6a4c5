// A small cmi5 assignable unit: plain fetch to the LRS the platform names in the launch URL, no library.
// Launch parameters (cmi5 §8.1): endpoint, fetch, actor, registration, activityId.

const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const ANSWERS = { q1: 'lua-dao', q2: 'an-toan', q3: 'lua-dao' };
const VERB = (name) => ({ id: `http://adlnet.gov/expapi/verbs/${name}`, display: { 'vi-VN': name, 'en-US': name } });
const statusEl = document.getElementById('status');
const form = document.getElementById('exercise');
const feedback = document.getElementById('feedback');
const started = Date.now();

const params = new URLSearchParams(location.search);
const launch = {
  endpoint: params.get('endpoint'),
  fetch: params.get('fetch'),
  actor: params.get('actor'),
  registration: params.get('registration'),
  activityId: params.get('activityId'),
};
let auth = null;
let context = null;
// cmi5 §10.2.2: Review (the lesson is completed already) looks again without sending an outcome
let launchMode = 'Normal';

// crypto.randomUUID needs a secure context; a phone on the LAN over http has only getRandomValues
function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function xapi(path, init = {}) {
  return fetch(new URL(path, launch.endpoint), {
    ...init,
    headers: { Authorization: `Basic ${auth}`, 'X-Experience-API-Version': '1.0.3', ...(init.headers || {}) },
  });
}

async function send(verb, result) {
  const statement = {
    id: uuid(),
    timestamp: new Date().toISOString(),
    actor: JSON.parse(launch.actor),
    verb: VERB(verb),
    object: { objectType: 'Activity', id: launch.activityId, definition: { name: { 'vi-VN': 'Thực hành: Tin nhắn nào là lừa đảo?' } } },
    // every verb here is "cmi5 defined": the template's context plus the cmi5 category
    context: { ...context, contextActivities: { ...(context.contextActivities || {}), category: [{ objectType: 'Activity', id: CMI5 }] } },
    ...(result ? { result } : {}),
  };
  const res = await xapi('statements', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(statement) });
  if (!res.ok) throw new Error(`LRS ${res.status}`);
  // a hint for the player around this frame to look at the lesson now (the LRS has decided already)
  parent.postMessage({ type: 'hts:xapi', verb }, '*');
}

const duration = () => `PT${Math.max(1, Math.round((Date.now() - started) / 1000))}S`;

async function start() {
  if (!launch.endpoint || !launch.fetch || !launch.actor || !launch.registration || !launch.activityId) {
    statusEl.textContent = 'Hãy mở bài thực hành này từ bài học trên Học tập số.';
    return;
  }
  const token = await (await fetch(launch.fetch, { method: 'POST' })).json();
  if (!token['auth-token']) {
    statusEl.textContent = 'Phiên làm bài đã hết hạn. Hãy mở lại bài học.';
    return;
  }
  auth = token['auth-token'];
  // the platform's launch data holds the context every statement carries (cmi5 §10)
  const stateUrl = `activities/state?${new URLSearchParams({ activityId: launch.activityId, agent: launch.actor, registration: launch.registration, stateId: 'LMS.LaunchData' })}`;
  const state = await xapi(stateUrl);
  const launchData = state.ok ? await state.json() : null;
  context = launchData ? launchData.contextTemplate : { registration: launch.registration };
  launchMode = launchData?.launchMode || 'Normal';
  await send('initialized');
  statusEl.textContent = 'Chọn “Lừa đảo” hoặc “An toàn” cho từng tin nhắn.';
  form.hidden = false;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const wrong = Object.keys(ANSWERS).filter((q) => data.get(q) !== ANSWERS[q]);
  if (wrong.length > 0) {
    feedback.className = 'bad';
    feedback.textContent = `Chưa đúng ${wrong.length} câu. Đọc lại: đường link lạ, thúc giục chuyển tiền, dặn "đừng gọi lại" là dấu hiệu lừa đảo.`;
    return;
  }
  try {
    if (launchMode === 'Normal') await send('completed', { completion: true, duration: duration() });
    await send('terminated', { duration: duration() });
    form.querySelector('button').disabled = true;
    feedback.className = 'ok';
    feedback.textContent =
      launchMode === 'Normal' ? 'Chính xác! Bạn đã hoàn thành bài thực hành.' : 'Chính xác! Đây là lần xem lại: kết quả cũ của bạn vẫn giữ nguyên.';
  } catch {
    feedback.className = 'bad';
    feedback.textContent = 'Chưa gửi được kết quả. Kiểm tra mạng rồi bấm “Nộp bài” lại.';
  }
});

start().catch(() => {
  statusEl.textContent = 'Không kết nối được với Học tập số. Kiểm tra mạng rồi mở lại bài học.';
});
