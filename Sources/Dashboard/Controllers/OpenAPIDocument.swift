/// The OpenAPI 3.1 contract of `/api/v1`, served at `/api/v1/openapi.json` (checked against the routes by
/// DashboardTests/OpenAPITests, validated and fuzzed by scripts/api-contract).
enum OpenAPIDocument {
    static let json = #"""
    {
        "openapi": "3.1.0",
        "info": {
            "title": "Nightshift API",
            "version": "1.0.0",
            "summary": "DAGs, runs, task instances and logs of a Nightshift home.",
            "description": "The JSON API of `nightshift serve` and `standalone`: reads need any role, writes operator or admin."
        },
        "tags": [
            {
                "name": "Meta",
                "description": "The API itself."
            },
            {
                "name": "DAGs",
                "description": "The DAGs this binary defines."
            },
            {
                "name": "Runs",
                "description": "DAG runs."
            },
            {
                "name": "Tasks",
                "description": "Task instances, tries and logs."
            }
        ],
        "security": [
            {
                "bearerAuth": []
            },
            {
                "sessionCookie": []
            }
        ],
        "paths": {
            "/api/v1": {
                "get": {
                    "operationId": "getIndex",
                    "summary": "List the endpoints",
                    "tags": [
                        "Meta"
                    ],
                    "responses": {
                        "200": {
                            "description": "The endpoints.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/Index"
                                    }
                                }
                            }
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "getOpenAPIDocument",
                    "summary": "This OpenAPI document",
                    "tags": [
                        "Meta"
                    ],
                    "responses": {
                        "200": {
                            "description": "The document.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/OpenAPIDocument"
                                    }
                                }
                            }
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/dags": {
                "get": {
                    "operationId": "listDAGs",
                    "summary": "List the DAGs",
                    "description": "Every DAG this binary defines, in definition order.",
                    "tags": [
                        "DAGs"
                    ],
                    "responses": {
                        "200": {
                            "description": "The DAGs.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "dags": {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/DAG"
                                                }
                                            }
                                        },
                                        "required": [
                                            "dags"
                                        ],
                                        "additionalProperties": false
                                    }
                                }
                            },
                            "links": {
                                "getDAG": {
                                    "operationId": "getDAG",
                                    "parameters": {
                                        "dag": "$response.body#/dags/0/dag_id"
                                    }
                                },
                                "listDAGRuns": {
                                    "operationId": "listDAGRuns",
                                    "parameters": {
                                        "dag": "$response.body#/dags/0/dag_id"
                                    }
                                },
                                "triggerRun": {
                                    "operationId": "triggerRun",
                                    "parameters": {
                                        "dag": "$response.body#/dags/0/dag_id"
                                    }
                                }
                            }
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/dags/{dag}": {
                "parameters": [
                    {
                        "$ref": "#/components/parameters/dag"
                    }
                ],
                "get": {
                    "operationId": "getDAG",
                    "summary": "Show a DAG",
                    "description": "The DAG with its structure (tasks, upstream, trigger rules, retries).",
                    "tags": [
                        "DAGs"
                    ],
                    "responses": {
                        "200": {
                            "description": "The DAG.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/DAGDetail"
                                    }
                                }
                            }
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "404": {
                            "$ref": "#/components/responses/NotFound"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/dags/{dag}/pause": {
                "parameters": [
                    {
                        "$ref": "#/components/parameters/dag"
                    }
                ],
                "post": {
                    "operationId": "pauseDAG",
                    "summary": "Pause a DAG",
                    "description": "The scheduler creates no runs of a paused DAG and starts no tasks of its runs. Any body is ignored.",
                    "tags": [
                        "DAGs"
                    ],
                    "responses": {
                        "200": {
                            "description": "The DAG is paused.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/Paused"
                                    }
                                }
                            }
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "403": {
                            "$ref": "#/components/responses/Forbidden"
                        },
                        "404": {
                            "$ref": "#/components/responses/NotFound"
                        },
                        "413": {
                            "$ref": "#/components/responses/ContentTooLarge"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/dags/{dag}/unpause": {
                "parameters": [
                    {
                        "$ref": "#/components/parameters/dag"
                    }
                ],
                "post": {
                    "operationId": "unpauseDAG",
                    "summary": "Unpause a DAG",
                    "description": "Any body is ignored.",
                    "tags": [
                        "DAGs"
                    ],
                    "responses": {
                        "200": {
                            "description": "The DAG is unpaused.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/Paused"
                                    }
                                }
                            }
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "403": {
                            "$ref": "#/components/responses/Forbidden"
                        },
                        "404": {
                            "$ref": "#/components/responses/NotFound"
                        },
                        "413": {
                            "$ref": "#/components/responses/ContentTooLarge"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/runs": {
                "get": {
                    "operationId": "listRuns",
                    "summary": "List runs of all DAGs",
                    "description": "A page of runs, newest logical date first.",
                    "tags": [
                        "Runs"
                    ],
                    "parameters": [
                        {
                            "name": "dag_id",
                            "in": "query",
                            "required": false,
                            "description": "Only runs of this DAG (an unknown id is a 404).",
                            "schema": {
                                "type": "string"
                            }
                        },
                        {
                            "name": "dag",
                            "in": "query",
                            "required": false,
                            "deprecated": true,
                            "description": "The same as `dag_id`, which wins when both are sent.",
                            "schema": {
                                "type": "string"
                            }
                        },
                        {
                            "$ref": "#/components/parameters/state"
                        },
                        {
                            "$ref": "#/components/parameters/limit"
                        },
                        {
                            "$ref": "#/components/parameters/offset"
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of runs.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/RunList"
                                    }
                                }
                            }
                        },
                        "400": {
                            "$ref": "#/components/responses/BadRequest"
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "404": {
                            "$ref": "#/components/responses/NotFound"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/dags/{dag}/runs": {
                "parameters": [
                    {
                        "$ref": "#/components/parameters/dag"
                    }
                ],
                "get": {
                    "operationId": "listDAGRuns",
                    "summary": "List a DAG's runs",
                    "description": "A page of the DAG's runs, newest logical date first.",
                    "tags": [
                        "Runs"
                    ],
                    "parameters": [
                        {
                            "$ref": "#/components/parameters/state"
                        },
                        {
                            "$ref": "#/components/parameters/limit"
                        },
                        {
                            "$ref": "#/components/parameters/offset"
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of runs.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/RunList"
                                    }
                                }
                            }
                        },
                        "400": {
                            "$ref": "#/components/responses/BadRequest"
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "404": {
                            "$ref": "#/components/responses/NotFound"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                },
                "post": {
                    "operationId": "triggerRun",
                    "summary": "Trigger a run",
                    "description": "Queues a manual run now, as `nightshift dags trigger` does, and wakes the scheduler. An empty body is `{}`.",
                    "tags": [
                        "Runs"
                    ],
                    "requestBody": {
                        "required": false,
                        "description": "The run's conf.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/TriggerRequest"
                                }
                            }
                        }
                    },
                    "responses": {
                        "201": {
                            "description": "The run, queued.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/Run"
                                    }
                                }
                            },
                            "links": {
                                "getRun": {
                                    "operationId": "getRun",
                                    "parameters": {
                                        "dag": "$response.body#/dag_id",
                                        "run": "$response.body#/run_id"
                                    }
                                },
                                "listTaskInstances": {
                                    "operationId": "listTaskInstances",
                                    "parameters": {
                                        "dag": "$response.body#/dag_id",
                                        "run": "$response.body#/run_id"
                                    }
                                },
                                "clearRun": {
                                    "operationId": "clearRun",
                                    "parameters": {
                                        "dag": "$response.body#/dag_id",
                                        "run": "$response.body#/run_id"
                                    }
                                }
                            }
                        },
                        "400": {
                            "$ref": "#/components/responses/BadRequest"
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "403": {
                            "$ref": "#/components/responses/Forbidden"
                        },
                        "404": {
                            "$ref": "#/components/responses/NotFound"
                        },
                        "413": {
                            "$ref": "#/components/responses/ContentTooLarge"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/dags/{dag}/runs/{run}": {
                "parameters": [
                    {
                        "$ref": "#/components/parameters/dag"
                    },
                    {
                        "$ref": "#/components/parameters/run"
                    }
                ],
                "get": {
                    "operationId": "getRun",
                    "summary": "Show a run",
                    "tags": [
                        "Runs"
                    ],
                    "responses": {
                        "200": {
                            "description": "The run.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/Run"
                                    }
                                }
                            },
                            "links": {
                                "listTaskInstances": {
                                    "operationId": "listTaskInstances",
                                    "parameters": {
                                        "dag": "$response.body#/dag_id",
                                        "run": "$response.body#/run_id"
                                    }
                                },
                                "clearRun": {
                                    "operationId": "clearRun",
                                    "parameters": {
                                        "dag": "$response.body#/dag_id",
                                        "run": "$response.body#/run_id"
                                    }
                                }
                            }
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "404": {
                            "$ref": "#/components/responses/NotFound"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/dags/{dag}/runs/{run}/tasks": {
                "parameters": [
                    {
                        "$ref": "#/components/parameters/dag"
                    },
                    {
                        "$ref": "#/components/parameters/run"
                    }
                ],
                "get": {
                    "operationId": "listTaskInstances",
                    "summary": "List a run's task instances",
                    "description": "Each task instance of the run with its tries.",
                    "tags": [
                        "Tasks"
                    ],
                    "responses": {
                        "200": {
                            "description": "The task instances.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/TaskInstanceList"
                                    }
                                }
                            },
                            "links": {
                                "getTryLog": {
                                    "operationId": "getTryLog",
                                    "parameters": {
                                        "dag": "$request.path.dag",
                                        "run": "$request.path.run",
                                        "task": "$response.body#/task_instances/0/task_id",
                                        "n": "$response.body#/task_instances/0/try_number"
                                    }
                                }
                            }
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "404": {
                            "$ref": "#/components/responses/NotFound"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/dags/{dag}/runs/{run}/clear": {
                "parameters": [
                    {
                        "$ref": "#/components/parameters/dag"
                    },
                    {
                        "$ref": "#/components/parameters/run"
                    }
                ],
                "post": {
                    "operationId": "clearRun",
                    "summary": "Clear task instances",
                    "description": "Resets the run's task instances, or one task's and those downstream of it, so the scheduler runs them again.",
                    "tags": [
                        "Tasks"
                    ],
                    "requestBody": {
                        "required": false,
                        "description": "What to clear.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/ClearRequest"
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "What was cleared.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/Cleared"
                                    }
                                }
                            }
                        },
                        "400": {
                            "$ref": "#/components/responses/BadRequest"
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "403": {
                            "$ref": "#/components/responses/Forbidden"
                        },
                        "404": {
                            "$ref": "#/components/responses/NotFound"
                        },
                        "409": {
                            "description": "A task instance to clear is running.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/Error"
                                    }
                                }
                            }
                        },
                        "413": {
                            "$ref": "#/components/responses/ContentTooLarge"
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            },
            "/api/v1/dags/{dag}/runs/{run}/tasks/{task}/tries/{n}/log": {
                "parameters": [
                    {
                        "$ref": "#/components/parameters/dag"
                    },
                    {
                        "$ref": "#/components/parameters/run"
                    },
                    {
                        "$ref": "#/components/parameters/task"
                    },
                    {
                        "$ref": "#/components/parameters/tryNumber"
                    }
                ],
                "get": {
                    "operationId": "getTryLog",
                    "summary": "Read a try's log",
                    "description": "Up to 256 KiB of the try's log from a byte offset; poll with `next_offset` while `running` is true.",
                    "tags": [
                        "Tasks"
                    ],
                    "parameters": [
                        {
                            "name": "offset",
                            "in": "query",
                            "required": false,
                            "description": "The byte offset to read from.",
                            "schema": {
                                "type": "integer",
                                "minimum": 0,
                                "maximum": 18446744073709551615,
                                "default": 0
                            }
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "A chunk of the log.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/LogChunk"
                                    }
                                }
                            }
                        },
                        "400": {
                            "$ref": "#/components/responses/BadRequest"
                        },
                        "401": {
                            "$ref": "#/components/responses/Unauthorized"
                        },
                        "404": {
                            "description": "An unknown DAG, run, task or try, or a try without a log file.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/Error"
                                    }
                                }
                            }
                        },
                        "500": {
                            "$ref": "#/components/responses/ServerError"
                        }
                    }
                }
            }
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "`NIGHTSHIFT_API_TOKEN` (or the one generated at first start); its role is `NIGHTSHIFT_API_TOKEN_ROLE`."
                },
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "nightshift_session",
                    "description": "A dashboard login; its writes also need the session's `X-CSRF-Token` header."
                }
            },
            "schemas": {
                "Error": {
                    "description": "Any 4xx or 5xx answer: a message for people naming the bad value (a 500 says only `internal error`).",
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "message": {
                                    "type": "string"
                                }
                            },
                            "required": [
                                "message"
                            ],
                            "additionalProperties": false
                        }
                    },
                    "required": [
                        "error"
                    ],
                    "additionalProperties": false
                },
                "Index": {
                    "description": "What the API offers, one line per endpoint (`METHOD /path?query` and, for writes, the body), for people.",
                    "type": "object",
                    "properties": {
                        "endpoints": {
                            "type": "array",
                            "items": {
                                "type": "string"
                            }
                        }
                    },
                    "required": [
                        "endpoints"
                    ],
                    "additionalProperties": false
                },
                "OpenAPIDocument": {
                    "description": "This document.",
                    "type": "object",
                    "properties": {
                        "openapi": {
                            "type": "string",
                            "const": "3.1.0"
                        },
                        "info": {
                            "type": "object"
                        },
                        "paths": {
                            "type": "object"
                        }
                    },
                    "required": [
                        "openapi",
                        "info",
                        "paths"
                    ]
                },
                "RunState": {
                    "type": "string",
                    "enum": [
                        "queued",
                        "running",
                        "success",
                        "failed"
                    ],
                    "description": "A run is `queued` until the scheduler starts it."
                },
                "RunType": {
                    "type": "string",
                    "enum": [
                        "scheduled",
                        "manual",
                        "backfill",
                        "asset_triggered"
                    ],
                    "description": "How the run came to be (`asset_triggered`: assets the DAG is scheduled on were updated)."
                },
                "TaskState": {
                    "type": "string",
                    "enum": [
                        "scheduled",
                        "queued",
                        "running",
                        "success",
                        "failed",
                        "up_for_retry",
                        "up_for_reschedule",
                        "upstream_failed",
                        "skipped"
                    ],
                    "description": "`scheduled → queued → running → success | failed | up_for_retry | upstream_failed | skipped`; a sensor in reschedule mode is `up_for_reschedule` between pokes."
                },
                "TryState": {
                    "type": "string",
                    "enum": [
                        "running",
                        "success",
                        "failed",
                        "skipped",
                        "up_for_reschedule"
                    ]
                },
                "Params": {
                    "description": "A DAG's params and their defaults; a run's `conf` may set each to a value of its default's JSON type.",
                    "type": "object"
                },
                "DAGFields": {
                    "type": "object",
                    "properties": {
                        "dag_id": {
                            "type": "string"
                        },
                        "description": {
                            "type": "string"
                        },
                        "schedule": {
                            "type": [
                                "string",
                                "null"
                            ],
                            "description": "The cron expression; null for a DAG that runs only when triggered."
                        },
                        "time_zone": {
                            "type": "string",
                            "description": "The IANA zone the schedule is read in."
                        },
                        "schedule_text": {
                            "type": "string",
                            "description": "The schedule in words, e.g. `every day at 03:00 UTC`."
                        },
                        "paused": {
                            "type": "boolean"
                        },
                        "tags": {
                            "type": "array",
                            "items": {
                                "type": "string"
                            }
                        },
                        "params": {
                            "$ref": "#/components/schemas/Params"
                        },
                        "next_run": {
                            "type": [
                                "string",
                                "null"
                            ],
                            "format": "date-time",
                            "description": "When the scheduler next fires the DAG; null when it is paused or has no schedule."
                        },
                        "tasks": {
                            "type": "array",
                            "items": {
                                "type": "string"
                            },
                            "description": "Task ids in definition order."
                        }
                    },
                    "required": [
                        "dag_id",
                        "description",
                        "schedule",
                        "time_zone",
                        "schedule_text",
                        "paused",
                        "tags",
                        "params",
                        "next_run",
                        "tasks"
                    ]
                },
                "DAG": {
                    "allOf": [
                        {
                            "$ref": "#/components/schemas/DAGFields"
                        }
                    ],
                    "unevaluatedProperties": false
                },
                "DAGDetail": {
                    "allOf": [
                        {
                            "$ref": "#/components/schemas/DAGFields"
                        },
                        {
                            "type": "object",
                            "properties": {
                                "structure": {
                                    "oneOf": [
                                        {
                                            "$ref": "#/components/schemas/DAGStructure"
                                        },
                                        {
                                            "type": "null"
                                        }
                                    ]
                                }
                            },
                            "required": [
                                "structure"
                            ]
                        }
                    ],
                    "unevaluatedProperties": false
                },
                "DAGStructure": {
                    "description": "The DAG's definition as the store fingerprints it (camelCase keys; optional members are absent, not null).",
                    "type": "object",
                    "properties": {
                        "dagID": {
                            "type": "string"
                        },
                        "description": {
                            "type": "string"
                        },
                        "schedule": {
                            "type": "string"
                        },
                        "timeZone": {
                            "type": "string"
                        },
                        "catchup": {
                            "type": "boolean"
                        },
                        "maxActiveRuns": {
                            "type": "integer"
                        },
                        "maxActiveTasks": {
                            "type": "integer"
                        },
                        "tags": {
                            "type": "array",
                            "items": {
                                "type": "string"
                            }
                        },
                        "assets": {
                            "type": "array",
                            "items": {
                                "type": "string"
                            },
                            "description": "The assets the DAG is scheduled on."
                        },
                        "params": {
                            "$ref": "#/components/schemas/Params"
                        },
                        "tasks": {
                            "type": "array",
                            "items": {
                                "$ref": "#/components/schemas/TaskStructure"
                            }
                        }
                    },
                    "required": [
                        "dagID",
                        "description",
                        "timeZone",
                        "catchup",
                        "maxActiveRuns",
                        "maxActiveTasks",
                        "tags",
                        "params",
                        "tasks"
                    ]
                },
                "TaskStructure": {
                    "type": "object",
                    "properties": {
                        "id": {
                            "type": "string"
                        },
                        "kind": {
                            "type": "string",
                            "enum": [
                                "swift",
                                "shell",
                                "sensor"
                            ]
                        },
                        "command": {
                            "type": "array",
                            "items": {
                                "type": "string"
                            },
                            "description": "The argv of a shell task (absent for Swift tasks)."
                        },
                        "upstream": {
                            "type": "array",
                            "items": {
                                "type": "string"
                            }
                        },
                        "triggerRule": {
                            "type": "string",
                            "enum": [
                                "all_success",
                                "all_done",
                                "all_failed",
                                "one_success",
                                "one_failed",
                                "none_failed",
                                "none_failed_min_one_success"
                            ]
                        },
                        "retries": {
                            "type": "integer",
                            "minimum": 0
                        },
                        "retryDelaySeconds": {
                            "type": "number"
                        },
                        "timeoutSeconds": {
                            "type": "number",
                            "description": "Absent when the task has no timeout."
                        },
                        "pool": {
                            "type": "string"
                        },
                        "priorityWeight": {
                            "type": "integer"
                        },
                        "sensor": {
                            "type": "string",
                            "description": "For a sensor: its mode, interval, timeout and what it waits for (absent for other tasks)."
                        },
                        "outlets": {
                            "type": "array",
                            "items": {
                                "type": "string"
                            },
                            "description": "The assets a success of the task updates."
                        },
                        "mapped": {
                            "type": "string",
                            "description": "For a mapped task: the list it expands over and its limit (absent for other tasks)."
                        }
                    },
                    "required": [
                        "id",
                        "kind",
                        "upstream",
                        "triggerRule",
                        "retries",
                        "retryDelaySeconds",
                        "pool",
                        "priorityWeight"
                    ]
                },
                "Paused": {
                    "type": "object",
                    "properties": {
                        "dag_id": {
                            "type": "string"
                        },
                        "paused": {
                            "type": "boolean"
                        }
                    },
                    "required": [
                        "dag_id",
                        "paused"
                    ],
                    "additionalProperties": false
                },
                "Run": {
                    "type": "object",
                    "properties": {
                        "run_id": {
                            "type": "string"
                        },
                        "dag_id": {
                            "type": "string"
                        },
                        "state": {
                            "$ref": "#/components/schemas/RunState"
                        },
                        "run_type": {
                            "$ref": "#/components/schemas/RunType"
                        },
                        "logical_date": {
                            "type": "string",
                            "format": "date-time",
                            "description": "UTC, ISO 8601 to the second: `2026-12-07T03:00:00Z`."
                        },
                        "data_interval_start": {
                            "type": "string",
                            "format": "date-time",
                            "description": "UTC, ISO 8601 to the second: `2026-12-07T03:00:00Z`."
                        },
                        "data_interval_end": {
                            "type": "string",
                            "format": "date-time",
                            "description": "UTC, ISO 8601 to the second: `2026-12-07T03:00:00Z`."
                        },
                        "queued_at": {
                            "type": "string",
                            "format": "date-time",
                            "description": "UTC, ISO 8601 to the second: `2026-12-07T03:00:00Z`."
                        },
                        "start_date": {
                            "type": [
                                "string",
                                "null"
                            ],
                            "format": "date-time",
                            "description": "UTC, ISO 8601 to the second, or null."
                        },
                        "end_date": {
                            "type": [
                                "string",
                                "null"
                            ],
                            "format": "date-time",
                            "description": "UTC, ISO 8601 to the second, or null."
                        },
                        "duration_s": {
                            "type": [
                                "number",
                                "null"
                            ],
                            "description": "Seconds from start to end (to now while it runs); null before it starts."
                        },
                        "conf": {
                            "type": "object",
                            "description": "The params this run was triggered with."
                        },
                        "note": {
                            "type": [
                                "string",
                                "null"
                            ],
                            "description": "Why the run ended as it did when it was not its tasks' doing, such as \"timed out after 2 h\"; null otherwise."
                        }
                    },
                    "required": [
                        "run_id",
                        "dag_id",
                        "state",
                        "run_type",
                        "logical_date",
                        "data_interval_start",
                        "data_interval_end",
                        "queued_at",
                        "start_date",
                        "end_date",
                        "duration_s",
                        "conf",
                        "note"
                    ],
                    "additionalProperties": false
                },
                "RunList": {
                    "type": "object",
                    "properties": {
                        "runs": {
                            "type": "array",
                            "items": {
                                "$ref": "#/components/schemas/Run"
                            },
                            "description": "Newest logical date first."
                        },
                        "total": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "Runs matching the filters, across all pages."
                        },
                        "limit": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": 1000
                        },
                        "offset": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": 100000000
                        }
                    },
                    "required": [
                        "runs",
                        "total",
                        "limit",
                        "offset"
                    ],
                    "additionalProperties": false
                },
                "TriggerRequest": {
                    "type": "object",
                    "properties": {
                        "conf": {
                            "type": "object",
                            "description": "Values for the DAG's params: each key a declared param, each value of its default's JSON type."
                        }
                    }
                },
                "Try": {
                    "type": "object",
                    "properties": {
                        "try_number": {
                            "type": "integer",
                            "minimum": 1
                        },
                        "state": {
                            "$ref": "#/components/schemas/TryState"
                        },
                        "start_date": {
                            "type": "string",
                            "format": "date-time",
                            "description": "UTC, ISO 8601 to the second: `2026-12-07T03:00:00Z`."
                        },
                        "end_date": {
                            "type": [
                                "string",
                                "null"
                            ],
                            "format": "date-time",
                            "description": "UTC, ISO 8601 to the second, or null."
                        },
                        "duration_s": {
                            "type": [
                                "number",
                                "null"
                            ]
                        },
                        "exit_status": {
                            "type": [
                                "integer",
                                "null"
                            ],
                            "description": "The process's exit code (128 + signal when a signal killed it)."
                        },
                        "error": {
                            "type": [
                                "string",
                                "null"
                            ],
                            "description": "What went wrong, for people."
                        }
                    },
                    "required": [
                        "try_number",
                        "state",
                        "start_date",
                        "end_date",
                        "duration_s",
                        "exit_status",
                        "error"
                    ],
                    "additionalProperties": false
                },
                "TaskInstance": {
                    "type": "object",
                    "properties": {
                        "task_id": {
                            "type": "string"
                        },
                        "map_index": {
                            "type": [
                                "integer",
                                "null"
                            ],
                            "minimum": 0,
                            "description": "A mapped task's instance index (null for an unmapped task); its tries' logs are under task_id[map_index]."
                        },
                        "state": {
                            "$ref": "#/components/schemas/TaskState"
                        },
                        "try_number": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "Tries started so far (0 before the first)."
                        },
                        "max_tries": {
                            "type": "integer",
                            "minimum": 0
                        },
                        "start_date": {
                            "type": [
                                "string",
                                "null"
                            ],
                            "format": "date-time",
                            "description": "UTC, ISO 8601 to the second, or null."
                        },
                        "end_date": {
                            "type": [
                                "string",
                                "null"
                            ],
                            "format": "date-time",
                            "description": "UTC, ISO 8601 to the second, or null."
                        },
                        "duration_s": {
                            "type": [
                                "number",
                                "null"
                            ]
                        },
                        "note": {
                            "type": [
                                "string",
                                "null"
                            ],
                            "description": "Why the instance is in its state (skip reason, failure summary)."
                        },
                        "tries": {
                            "type": "array",
                            "items": {
                                "$ref": "#/components/schemas/Try"
                            }
                        }
                    },
                    "required": [
                        "task_id",
                        "state",
                        "try_number",
                        "max_tries",
                        "start_date",
                        "end_date",
                        "duration_s",
                        "note",
                        "tries"
                    ],
                    "additionalProperties": false
                },
                "TaskInstanceList": {
                    "type": "object",
                    "properties": {
                        "run_id": {
                            "type": "string"
                        },
                        "task_instances": {
                            "type": "array",
                            "items": {
                                "$ref": "#/components/schemas/TaskInstance"
                            }
                        }
                    },
                    "required": [
                        "run_id",
                        "task_instances"
                    ],
                    "additionalProperties": false
                },
                "ClearRequest": {
                    "type": "object",
                    "properties": {
                        "task": {
                            "type": "string",
                            "description": "The one task to clear; absent clears every task instance of the run."
                        },
                        "downstream": {
                            "type": "boolean",
                            "default": false,
                            "description": "With `task`: also clear the tasks downstream of it."
                        }
                    }
                },
                "Cleared": {
                    "type": "object",
                    "properties": {
                        "run_id": {
                            "type": "string"
                        },
                        "cleared": {
                            "type": "array",
                            "items": {
                                "type": "string"
                            },
                            "description": "The task ids cleared."
                        }
                    },
                    "required": [
                        "run_id",
                        "cleared"
                    ],
                    "additionalProperties": false
                },
                "LogChunk": {
                    "type": "object",
                    "properties": {
                        "text": {
                            "type": "string",
                            "description": "At most 256 KiB of the log from `offset` (invalid UTF-8 replaced)."
                        },
                        "offset": {
                            "type": "integer",
                            "minimum": 0
                        },
                        "next_offset": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "The offset to ask for next."
                        },
                        "size": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "The log file's size in bytes now."
                        },
                        "running": {
                            "type": "boolean",
                            "description": "True while the try runs or more of the log remains to read."
                        },
                        "state": {
                            "type": "string",
                            "enum": [
                                "running",
                                "success",
                                "failed",
                                "skipped"
                            ],
                            "description": "The try's state."
                        }
                    },
                    "required": [
                        "text",
                        "offset",
                        "next_offset",
                        "size",
                        "running",
                        "state"
                    ],
                    "additionalProperties": false
                }
            },
            "parameters": {
                "dag": {
                    "name": "dag",
                    "in": "path",
                    "required": true,
                    "description": "A DAG id.",
                    "schema": {
                        "type": "string"
                    },
                    "example": "example_etl"
                },
                "run": {
                    "name": "run",
                    "in": "path",
                    "required": true,
                    "description": "A run id of that DAG.",
                    "schema": {
                        "type": "string"
                    }
                },
                "task": {
                    "name": "task",
                    "in": "path",
                    "required": true,
                    "description": "A task id.",
                    "schema": {
                        "type": "string"
                    }
                },
                "tryNumber": {
                    "name": "n",
                    "in": "path",
                    "required": true,
                    "description": "The try number (from 1).",
                    "schema": {
                        "type": "integer",
                        "minimum": 1
                    }
                },
                "state": {
                    "name": "state",
                    "in": "query",
                    "required": false,
                    "description": "Only runs in this state.",
                    "schema": {
                        "$ref": "#/components/schemas/RunState"
                    }
                },
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "required": false,
                    "description": "Runs per page.",
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 1000,
                        "default": 100
                    }
                },
                "offset": {
                    "name": "offset",
                    "in": "query",
                    "required": false,
                    "description": "Runs to skip.",
                    "schema": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": 100000000,
                        "default": 0
                    }
                }
            },
            "responses": {
                "BadRequest": {
                    "description": "A bad query parameter or body; the message names it and what is allowed.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/Error"
                            }
                        }
                    }
                },
                "Unauthorized": {
                    "description": "No session cookie and no `Authorization: Bearer` header, or a token that is not the API token.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/Error"
                            }
                        }
                    }
                },
                "Forbidden": {
                    "description": "The caller may only read (writes need the operator or admin role), or a session's write lacks `X-CSRF-Token`.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/Error"
                            }
                        }
                    }
                },
                "NotFound": {
                    "description": "An unknown DAG, run, task or try (the message names it), or no such path.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/Error"
                            }
                        }
                    }
                },
                "ServerError": {
                    "description": "The server failed; the body says only `internal error`.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/Error"
                            }
                        }
                    }
                },
                "ContentTooLarge": {
                    "description": "The request body is over 1 MiB (1048576 bytes).",
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/Error"
                            }
                        }
                    }
                }
            }
        }
    }
    """#
}
