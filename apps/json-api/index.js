// A small JSON REST API over an in-memory list of todos, with routing on path and method.
// State lives in one isolate slot (one per event loop), like module state in any edge runtime:
// it is a cache, not a database.
import { Router } from "./routes.js";

const todos = new Map([
  [1, { id: 1, title: "try NANO", done: true }],
  [2, { id: 2, title: "deploy an app", done: false }],
]);
let nextId = 3;

async function readTodo(request) {
  let body;
  try {
    body = await request.json();
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null || typeof body.title !== "string" || body.title === "") {
    return null;
  }
  return { title: body.title, done: body.done === true };
}

const invalid = () => Response.json({ error: "expected JSON {\"title\": string, \"done\"?: boolean}" }, { status: 400 });
const missing = () => Response.json({ error: "no such todo" }, { status: 404 });

const router = new Router()
  .add("GET", "/", ({ env }) => Response.json({ service: env.SERVICE_NAME ?? "json-api", version: 1 }))
  .add("GET", "/todos", () => Response.json([...todos.values()]))
  .add("GET", "/todos/:id", ({ params }) => {
    const todo = todos.get(Number(params.id));
    return todo ? Response.json(todo) : missing();
  })
  .add("POST", "/todos", async ({ request }) => {
    const fields = await readTodo(request);
    if (!fields) return invalid();
    const todo = { id: nextId++, ...fields };
    todos.set(todo.id, todo);
    return Response.json(todo, { status: 201, headers: { location: `/todos/${todo.id}` } });
  })
  .add("DELETE", "/todos/:id", ({ params }) => {
    return todos.delete(Number(params.id)) ? new Response(null, { status: 204 }) : missing();
  });

export default {
  fetch(request, env) {
    return router.handle(request, env);
  },
};
