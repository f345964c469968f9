"""The blocking-call rule table: data read by `migrator.blocking`, not code.

Names are qualified names as written after the imports are resolved: `requests.get`,
`time.sleep`, `open` (a builtin). A method of an object whose type the checker knows is
written `Type.method`: `requests.Session.get`, `sqlalchemy.orm.Session.execute`.
`Type.*` matches every method of `Type` (minus the ones in `SAFE_CALLS`).

Codes are grouped by what blocks:

| codes | category |
|---|---|
| BLK1xx | network clients (HTTP, AWS, SMTP) |
| BLK2xx | database drivers and sessions |
| BLK3xx | file I/O |
| BLK4xx | sleeping |
| BLK5xx | processes |
| BLK6xx | sockets and DNS |
| BLK7xx | console input, waiting on threads |
| BLK8xx | left free for rules a project adds in `[tool.migrate.check]` |
| BLK9xx | coroutines that are never awaited |

The other tables teach the checker what objects are: `RETURNS` (what a call gives back,
so `s = requests.Session(); s.get()` is `requests.Session.get`), `ATTRIBUTES` (the type of
an attribute), `ALIASES` (re-exports and internal paths of the same thing), the escape
hatches that run a callable in a worker thread, and the async APIs whose result must be
awaited.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES: dict[str, str] = {
    "BLK1": "network",
    "BLK2": "database",
    "BLK3": "file",
    "BLK4": "sleep",
    "BLK5": "process",
    "BLK6": "socket",
    "BLK7": "misc",
    "BLK8": "project",
    "BLK9": "unawaited",
}


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """Calls that block the event loop when made inside `async def`.

    `summary` completes a sentence that starts with the call's name ("requests.get makes a
    blocking HTTP request"); `fix` names the async replacement.
    """

    code: str
    summary: str
    fix: str
    calls: tuple[str, ...]

    @property
    def category(self) -> str:
        return CATEGORIES.get(self.code[:4], "project")


def methods(owner: str, names: str) -> tuple[str, ...]:
    """`owner.name` for each space-separated name: keeps the table below readable."""
    return tuple(f"{owner}.{name}" for name in names.split())


_HTTP_VERBS = "get post put patch delete head options request"
_SQLA_SESSION = (
    "execute scalar scalars get get_one commit rollback flush refresh merge close connection"
    " begin begin_nested"
    " bulk_save_objects bulk_insert_mappings bulk_update_mappings"
)
_SQLA_QUERY_TERMINALS = (
    "all first one one_or_none scalar count get delete update paginate"
    " first_or_404 one_or_404 get_or_404 __iter__"
)
_SQLA_QUERY_CHAIN = (
    "filter filter_by where order_by group_by having limit offset join outerjoin options"
    " distinct with_entities select_from execution_options params yield_per"
    " populate_existing correlate add_columns add_entity with_for_update enable_assertions"
)
_DBAPI_CURSOR = "execute executemany fetchone fetchall fetchmany callproc scroll"
_REDIS_SAFE = "pipeline pubsub lock register_script monitor from_url"

BLOCKING_RULES: tuple[BlockingRule, ...] = (
    BlockingRule(
        "BLK101",
        "makes a blocking HTTP request (requests)",
        "use httpx.AsyncClient and await it",
        (
            *methods("requests", _HTTP_VERBS),
            *methods("requests.Session", _HTTP_VERBS + " send"),
        ),
    ),
    BlockingRule(
        "BLK102",
        "makes a blocking HTTP request (urllib.request)",
        "use httpx.AsyncClient and await it",
        (
            "urllib.request.urlopen",
            "urllib.request.urlretrieve",
            "urllib.request.OpenerDirector.open",
        ),
    ),
    BlockingRule(
        "BLK103",
        "makes a blocking HTTP request (urllib3)",
        "use httpx.AsyncClient and await it",
        (
            "urllib3.request",
            *methods(
                "urllib3.PoolManager", "request urlopen request_encode_url request_encode_body"
            ),
            *methods("urllib3.HTTPConnectionPool", "request urlopen"),
        ),
    ),
    BlockingRule(
        "BLK104",
        "makes a blocking HTTP request (http.client)",
        "use httpx.AsyncClient and await it",
        methods("http.client.HTTPConnection", "request getresponse connect endheaders send"),
    ),
    BlockingRule(
        "BLK105",
        "makes a blocking HTTP request (sync httpx)",
        "use httpx.AsyncClient and await it",
        (
            *methods("httpx", _HTTP_VERBS + " stream"),
            *methods("httpx.Client", _HTTP_VERBS + " send stream"),
        ),
    ),
    BlockingRule(
        "BLK106",
        "calls an AWS API over blocking HTTP (boto3)",
        "use aioboto3 / aiobotocore, or await asyncio.to_thread(...)",
        ("botocore.client.BaseClient.*",),
    ),
    BlockingRule(
        "BLK107",
        "talks SMTP over a blocking socket (smtplib)",
        "use aiosmtplib",
        (
            "smtplib.SMTP",
            *methods(
                "smtplib.SMTP",
                "connect login starttls ehlo helo sendmail send_message quit noop verify rset",
            ),
        ),
    ),
    BlockingRule(
        "BLK201",
        "runs SQL on a sync SQLAlchemy session or engine",
        "use sqlalchemy.ext.asyncio (AsyncSession, AsyncEngine) and await it",
        (
            *methods("sqlalchemy.orm.Session", _SQLA_SESSION),
            *methods("sqlalchemy.orm.scoped_session", _SQLA_SESSION),
            *methods("sqlalchemy.orm.Query", _SQLA_QUERY_TERMINALS),
            *methods("sqlalchemy.engine.Engine", "connect begin execute raw_connection"),
            *methods(
                "sqlalchemy.engine.Connection",
                "execute exec_driver_sql scalar scalars commit rollback close",
            ),
        ),
    ),
    BlockingRule(
        "BLK202",
        "talks to PostgreSQL synchronously (psycopg2)",
        "use asyncpg or psycopg.AsyncConnection and await it",
        (
            "psycopg2.connect",
            "psycopg2.extras.execute_values",
            "psycopg2.extras.execute_batch",
            "psycopg2.pool.AbstractConnectionPool.getconn",
            *methods("psycopg2.extensions.connection", "commit rollback"),
            *methods(
                "psycopg2.extensions.cursor", _DBAPI_CURSOR + " copy_from copy_to copy_expert"
            ),
        ),
    ),
    BlockingRule(
        "BLK203",
        "talks to PostgreSQL synchronously (psycopg)",
        "use psycopg.AsyncConnection (await psycopg.AsyncConnection.connect(...))",
        (
            "psycopg.connect",
            "psycopg.Connection.connect",
            *methods("psycopg.Connection", "execute commit rollback"),
            *methods("psycopg.Cursor", _DBAPI_CURSOR + " copy stream"),
            *methods("psycopg_pool.ConnectionPool", "connection getconn"),
        ),
    ),
    BlockingRule(
        "BLK204",
        "queries SQLite synchronously (sqlite3)",
        "use aiosqlite",
        (
            "sqlite3.connect",
            *methods(
                "sqlite3.Connection", "execute executemany executescript commit rollback backup"
            ),
            *methods("sqlite3.Cursor", _DBAPI_CURSOR + " executescript"),
        ),
    ),
    BlockingRule(
        "BLK205",
        "talks to MySQL synchronously (pymysql / MySQLdb)",
        "use aiomysql or asyncmy",
        (
            "pymysql.connect",
            "pymysql.connections.Connection",
            "MySQLdb.connect",
            "MySQLdb.connections.Connection",
            *methods("pymysql.connections.Connection", "commit rollback ping"),
            *methods("pymysql.cursors.Cursor", _DBAPI_CURSOR),
            *methods("MySQLdb.connections.Connection", "commit rollback ping"),
            *methods("MySQLdb.cursors.Cursor", _DBAPI_CURSOR),
        ),
    ),
    BlockingRule(
        "BLK206",
        "sends a blocking Redis command (redis)",
        "use redis.asyncio and await it",
        ("redis.Redis.*", "redis.client.Pipeline.execute"),
    ),
    BlockingRule(
        "BLK207",
        "queries MongoDB synchronously (pymongo)",
        "use pymongo.AsyncMongoClient or motor and await it",
        (
            *methods(
                "pymongo.collection.Collection",
                "find find_one insert_one insert_many update_one update_many replace_one"
                " delete_one delete_many count_documents estimated_document_count aggregate"
                " distinct find_one_and_update find_one_and_replace find_one_and_delete"
                " bulk_write create_index create_indexes drop drop_index",
            ),
            *methods(
                "pymongo.database.Database",
                "command list_collection_names create_collection drop_collection",
            ),
            *methods("pymongo.MongoClient", "list_database_names server_info drop_database"),
        ),
    ),
    BlockingRule(
        "BLK301",
        "opens a file with blocking I/O",
        "use aiofiles.open / anyio.open_file, or await asyncio.to_thread(...)",
        (
            "open",
            "io.open",
            "io.open_code",
            "codecs.open",
            "gzip.open",
            "bz2.open",
            "lzma.open",
            "tarfile.open",
            "os.open",
            "os.fdopen",
        ),
    ),
    BlockingRule(
        "BLK302",
        "reads or writes a file descriptor synchronously",
        "use aiofiles.os, or await asyncio.to_thread(...)",
        methods("os", "read write pread pwrite readv writev sendfile fsync fdatasync"),
    ),
    BlockingRule(
        "BLK303",
        "reads or writes a file synchronously (pathlib)",
        "use anyio.Path, or await asyncio.to_thread(...)",
        methods("pathlib.Path", "open read_text read_bytes write_text write_bytes"),
    ),
    BlockingRule(
        "BLK304",
        "copies, moves or deletes files synchronously (shutil)",
        "await asyncio.to_thread(shutil...) or use aioshutil",
        methods(
            "shutil",
            "copy copy2 copyfile copyfileobj copytree move rmtree make_archive unpack_archive",
        ),
    ),
    BlockingRule(
        "BLK305",
        "touches the file system synchronously (stat, listdir, mkdir, unlink...)",
        "use anyio.Path / aiofiles.os, or await asyncio.to_thread(...)",
        (
            *methods(
                "os.path",
                "exists lexists isfile isdir islink ismount getsize getmtime getatime getctime"
                " samefile",
            ),
            *methods(
                "os",
                "stat lstat listdir scandir walk mkdir makedirs remove unlink rmdir removedirs"
                " rename renames replace chmod chown utime truncate link symlink readlink access",
            ),
            *methods(
                "pathlib.Path",
                "exists is_file is_dir is_symlink is_mount stat lstat owner group mkdir rmdir"
                " unlink touch rename replace iterdir glob rglob samefile chmod symlink_to"
                " hardlink_to readlink",
            ),
            "glob.glob",
            "glob.iglob",
        ),
    ),
    BlockingRule(
        "BLK401",
        "sleeps and blocks the event loop",
        "use await asyncio.sleep(...)",
        ("time.sleep",),
    ),
    BlockingRule(
        "BLK501",
        "runs a process and waits for it (subprocess)",
        "use asyncio.create_subprocess_exec and await it",
        (
            *methods(
                "subprocess", "run call check_call check_output Popen getoutput getstatusoutput"
            ),
            *methods("subprocess.Popen", "wait communicate"),
        ),
    ),
    BlockingRule(
        "BLK502",
        "runs a shell command and waits for it (os)",
        "use asyncio.create_subprocess_shell / _exec and await it",
        methods(
            "os",
            "system popen spawnl spawnle spawnlp spawnlpe spawnv spawnve spawnvp spawnvpe",
        ),
    ),
    BlockingRule(
        "BLK503",
        "waits for a child process (os.wait*)",
        "await the asyncio subprocess's wait()",
        methods("os", "wait waitpid wait3 wait4 waitid"),
    ),
    BlockingRule(
        "BLK601",
        "uses a blocking socket",
        "use asyncio.open_connection or the loop's sock_* methods",
        (
            "socket.create_connection",
            *methods(
                "socket.socket",
                "connect connect_ex accept recv recv_into recvfrom recvfrom_into recvmsg"
                " send sendall sendto sendmsg sendfile",
            ),
        ),
    ),
    BlockingRule(
        "BLK602",
        "resolves a host name synchronously (DNS)",
        "use await asyncio.get_running_loop().getaddrinfo(...) or aiodns",
        (
            *methods(
                "socket",
                "getaddrinfo gethostbyname gethostbyname_ex gethostbyaddr getnameinfo getfqdn",
            ),
            "dns.resolver.resolve",
            "dns.resolver.query",
            "dns.resolver.Resolver.resolve",
            "dns.resolver.Resolver.query",
        ),
    ),
    BlockingRule(
        "BLK701",
        "waits for console input",
        "read stdin through asyncio streams, or await asyncio.to_thread(...)",
        ("input", "getpass.getpass", *methods("sys.stdin", "read readline readlines")),
    ),
    BlockingRule(
        "BLK702",
        "waits on a thread, queue or future",
        "use asyncio.Event / asyncio.Queue, or await asyncio.wrap_future(...)",
        (
            "threading.Event.wait",
            "threading.Condition.wait",
            "threading.Thread.join",
            "queue.Queue.get",
            "queue.Queue.join",
            "concurrent.futures.wait",
            "concurrent.futures.Executor.shutdown",
        ),
    ),
)

# Un-awaited coroutines: not blocking calls, but the same report.
UNAWAITED_API = BlockingRule(
    "BLK901",
    "returns a coroutine that is never awaited",
    "add await (or hand it to asyncio.create_task / asyncio.gather)",
    (),
)
UNAWAITED_PROJECT = BlockingRule(
    "BLK902",
    "is an async def whose coroutine is never awaited",
    "add await (or hand it to asyncio.create_task / asyncio.gather)",
    (),
)

# Async APIs: calling one gives a coroutine that must be awaited.
ASYNC_APIS: tuple[str, ...] = (
    *methods(
        "asyncio",
        "sleep wait_for wait open_connection start_server create_subprocess_exec"
        " create_subprocess_shell to_thread",
    ),
    "asyncio.Event.wait",
    *methods("asyncio.Queue", "get put join"),
    "asyncio.Lock.acquire",
    "asyncio.Semaphore.acquire",
    "asyncio.Condition.wait",
    *methods("asyncio.StreamWriter", "drain wait_closed"),
    *methods("asyncio.StreamReader", "read readline readexactly readuntil"),
    *methods("asyncio.AbstractEventLoop", "sock_connect sock_recv sock_sendall getaddrinfo"),
    "anyio.sleep",
    "anyio.open_file",
    "anyio.to_thread.run_sync",
    "starlette.concurrency.run_in_threadpool",
    "fastapi.concurrency.run_in_threadpool",
    *methods(
        "sqlalchemy.ext.asyncio.AsyncSession",
        "commit rollback execute scalar scalars get get_one flush refresh close delete merge"
        " stream stream_scalars run_sync connection invalidate reset",
    ),
    *methods(
        "sqlalchemy.ext.asyncio.AsyncConnection",
        "execute exec_driver_sql scalar scalars stream commit rollback close run_sync",
    ),
    "sqlalchemy.ext.asyncio.AsyncEngine.dispose",
    *methods("httpx.AsyncClient", _HTTP_VERBS + " send aclose"),
    "redis.asyncio.Redis.*",
    "asyncpg.connect",
    *methods(
        "asyncpg.Connection",
        "execute executemany fetch fetchrow fetchval close copy_records_to_table",
    ),
    *methods("asyncpg.Pool", "execute fetch fetchrow fetchval close release"),
    "aiohttp.ClientSession.close",
    *methods("starlette.requests.Request", "body json form"),
    *methods(
        "starlette.websockets.WebSocket",
        "accept close send_text send_bytes send_json receive_text receive_bytes receive_json",
    ),
    *methods("starlette.datastructures.UploadFile", "read write seek close"),
)

# Never blocking, never awaited: exceptions to the `Type.*` entries above.
SAFE_CALLS: frozenset[str] = frozenset(
    (
        *methods("redis.Redis", _REDIS_SAFE),
        *methods("redis.asyncio.Redis", _REDIS_SAFE),
        *methods(
            "botocore.client.BaseClient",
            "get_paginator get_waiter can_paginate generate_presigned_url"
            " generate_presigned_post close",
        ),
    )
)

# What a call returns (factories and methods), so methods of the result resolve. Calling a
# type named anywhere in these tables (or in ATTRIBUTES) constructs it: no entry needed.
RETURNS: dict[str, str] = {
    # HTTP
    "requests.session": "requests.Session",
    "urllib.request.build_opener": "urllib.request.OpenerDirector",
    "urllib3.connection_from_url": "urllib3.HTTPConnectionPool",
    "boto3.client": "botocore.client.BaseClient",
    "boto3.session.Session.client": "botocore.client.BaseClient",
    "botocore.session.get_session": "botocore.session.Session",
    "botocore.session.Session.create_client": "botocore.client.BaseClient",
    # PostgreSQL, SQLite, MySQL
    "psycopg2.connect": "psycopg2.extensions.connection",
    "psycopg2.extensions.connection.cursor": "psycopg2.extensions.cursor",
    "psycopg2.pool.AbstractConnectionPool.getconn": "psycopg2.extensions.connection",
    "psycopg.connect": "psycopg.Connection",
    "psycopg.Connection.connect": "psycopg.Connection",
    "psycopg.Connection.cursor": "psycopg.Cursor",
    "psycopg.Connection.execute": "psycopg.Cursor",
    "psycopg.Cursor.execute": "psycopg.Cursor",
    "psycopg_pool.ConnectionPool.connection": "psycopg.Connection",
    "psycopg_pool.ConnectionPool.getconn": "psycopg.Connection",
    "sqlite3.connect": "sqlite3.Connection",
    "sqlite3.Connection.cursor": "sqlite3.Cursor",
    "sqlite3.Connection.execute": "sqlite3.Cursor",
    "sqlite3.Connection.executemany": "sqlite3.Cursor",
    "sqlite3.Connection.executescript": "sqlite3.Cursor",
    "sqlite3.Cursor.execute": "sqlite3.Cursor",
    "pymysql.connect": "pymysql.connections.Connection",
    "pymysql.connections.Connection.cursor": "pymysql.cursors.Cursor",
    "MySQLdb.connect": "MySQLdb.connections.Connection",
    "MySQLdb.connections.Connection.cursor": "MySQLdb.cursors.Cursor",
    # SQLAlchemy, sync and async
    "sqlalchemy.create_engine": "sqlalchemy.engine.Engine",
    "sqlalchemy.engine_from_config": "sqlalchemy.engine.Engine",
    "sqlalchemy.engine.Engine.connect": "sqlalchemy.engine.Connection",
    "sqlalchemy.engine.Engine.begin": "sqlalchemy.engine.Connection",
    "sqlalchemy.orm.sessionmaker.__call__": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.sessionmaker.begin": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.scoped_session.__call__": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.Session.query": "sqlalchemy.orm.Query",
    "sqlalchemy.orm.scoped_session.query": "sqlalchemy.orm.Query",
    **dict.fromkeys(methods("sqlalchemy.orm.Query", _SQLA_QUERY_CHAIN), "sqlalchemy.orm.Query"),
    "sqlalchemy.ext.asyncio.create_async_engine": "sqlalchemy.ext.asyncio.AsyncEngine",
    "sqlalchemy.ext.asyncio.AsyncEngine.connect": "sqlalchemy.ext.asyncio.AsyncConnection",
    "sqlalchemy.ext.asyncio.AsyncEngine.begin": "sqlalchemy.ext.asyncio.AsyncConnection",
    "sqlalchemy.ext.asyncio.async_sessionmaker.__call__": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.async_sessionmaker.begin": "sqlalchemy.ext.asyncio.AsyncSession",
    # Redis, MongoDB
    "redis.from_url": "redis.Redis",
    "redis.Redis.from_url": "redis.Redis",
    "redis.Redis.pipeline": "redis.client.Pipeline",
    "redis.asyncio.from_url": "redis.asyncio.Redis",
    "redis.asyncio.Redis.from_url": "redis.asyncio.Redis",
    "pymongo.MongoClient.__getitem__": "pymongo.database.Database",
    "pymongo.MongoClient.get_database": "pymongo.database.Database",
    "pymongo.MongoClient.get_default_database": "pymongo.database.Database",
    "pymongo.database.Database.__getitem__": "pymongo.collection.Collection",
    "pymongo.database.Database.get_collection": "pymongo.collection.Collection",
    "asyncpg.connect": "asyncpg.Connection",
    # Files, processes, sockets, threads
    **dict.fromkeys(
        methods(
            "pathlib.Path",
            "home cwd resolve absolute expanduser with_name with_suffix with_stem"
            " joinpath relative_to __truediv__",
        ),
        "pathlib.Path",
    ),
    "socket.create_connection": "socket.socket",
    "concurrent.futures.Executor.submit": "concurrent.futures.Future",
    "asyncio.get_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.get_running_loop": "asyncio.AbstractEventLoop",
    "asyncio.new_event_loop": "asyncio.AbstractEventLoop",
}

# A constructor called with `class_=X` builds something else: sessionmaker(class_=AsyncSession).
CLASS_ARGUMENT_RETURNS: dict[tuple[str, str], str] = {
    (
        "sqlalchemy.orm.sessionmaker",
        "sqlalchemy.ext.asyncio.AsyncSession",
    ): "sqlalchemy.ext.asyncio.async_sessionmaker",
}

# The type of an attribute (`Type.*`: any attribute).
ATTRIBUTES: dict[str, str] = {
    "pathlib.Path.parent": "pathlib.Path",
    "flask_sqlalchemy.SQLAlchemy.session": "sqlalchemy.orm.scoped_session",
    "flask_sqlalchemy.SQLAlchemy.engine": "sqlalchemy.engine.Engine",
    "flask_sqlalchemy.model.Model.query": "sqlalchemy.orm.Query",
    "pymongo.MongoClient.*": "pymongo.database.Database",
    "pymongo.database.Database.*": "pymongo.collection.Collection",
}

# The same thing under another name: the key (or a dotted prefix of a name) becomes the value.
ALIASES: dict[str, str] = {
    "builtins.open": "open",
    "builtins.input": "input",
    "requests.api": "requests",
    "requests.sessions.Session": "requests.Session",
    "requests.sessions.session": "requests.session",
    "httpx._api": "httpx",
    "httpx._client.Client": "httpx.Client",
    "httpx._client.AsyncClient": "httpx.AsyncClient",
    "boto3.Session": "boto3.session.Session",
    "psycopg2._psycopg.connection": "psycopg2.extensions.connection",
    "psycopg2._psycopg.cursor": "psycopg2.extensions.cursor",
    "psycopg.connection.Connection": "psycopg.Connection",
    "psycopg.cursor.Cursor": "psycopg.Cursor",
    "pymysql.Connect": "pymysql.connect",
    "pymysql.Connection": "pymysql.connections.Connection",
    "pymysql.cursors.DictCursor": "pymysql.cursors.Cursor",
    "MySQLdb.Connect": "MySQLdb.connect",
    "MySQLdb.Connection": "MySQLdb.connections.Connection",
    "urllib3.ProxyManager": "urllib3.PoolManager",
    "urllib3.HTTPSConnectionPool": "urllib3.HTTPConnectionPool",
    "http.client.HTTPSConnection": "http.client.HTTPConnection",
    "smtplib.SMTP_SSL": "smtplib.SMTP",
    "smtplib.LMTP": "smtplib.SMTP",
    "psycopg2.pool.SimpleConnectionPool": "psycopg2.pool.AbstractConnectionPool",
    "psycopg2.pool.ThreadedConnectionPool": "psycopg2.pool.AbstractConnectionPool",
    "queue.LifoQueue": "queue.Queue",
    "queue.PriorityQueue": "queue.Queue",
    "queue.SimpleQueue": "queue.Queue",
    "concurrent.futures.ThreadPoolExecutor": "concurrent.futures.Executor",
    "concurrent.futures.ProcessPoolExecutor": "concurrent.futures.Executor",
    "sqlalchemy.orm.session.Session": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.sessionmaker": "sqlalchemy.orm.sessionmaker",
    "sqlalchemy.orm.scoping.scoped_session": "sqlalchemy.orm.scoped_session",
    "sqlalchemy.orm.query.Query": "sqlalchemy.orm.Query",
    "sqlalchemy.Engine": "sqlalchemy.engine.Engine",
    "sqlalchemy.engine.base.Engine": "sqlalchemy.engine.Engine",
    "sqlalchemy.Connection": "sqlalchemy.engine.Connection",
    "sqlalchemy.engine.base.Connection": "sqlalchemy.engine.Connection",
    "sqlalchemy.engine.create_engine": "sqlalchemy.create_engine",
    "sqlalchemy.engine.create.create_engine": "sqlalchemy.create_engine",
    "sqlalchemy.ext.asyncio.session.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.session.async_sessionmaker": (
        "sqlalchemy.ext.asyncio.async_sessionmaker"
    ),
    "sqlalchemy.ext.asyncio.engine.AsyncEngine": "sqlalchemy.ext.asyncio.AsyncEngine",
    "sqlalchemy.ext.asyncio.engine.create_async_engine": (
        "sqlalchemy.ext.asyncio.create_async_engine"
    ),
    "flask_sqlalchemy.extension.SQLAlchemy": "flask_sqlalchemy.SQLAlchemy",
    "flask_sqlalchemy.SQLAlchemy.Model": "flask_sqlalchemy.model.Model",
    "flask_sqlalchemy.query.Query": "sqlalchemy.orm.Query",
    "redis.StrictRedis": "redis.Redis",
    "redis.client.Redis": "redis.Redis",
    "redis.client.StrictRedis": "redis.Redis",
    "redis.RedisCluster": "redis.Redis",
    "redis.cluster.RedisCluster": "redis.Redis",
    "redis.asyncio.StrictRedis": "redis.asyncio.Redis",
    "redis.asyncio.client.Redis": "redis.asyncio.Redis",
    "pymongo.mongo_client.MongoClient": "pymongo.MongoClient",
    "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path",
    "pathlib.PurePath": "pathlib.Path",
    "pathlib.PurePosixPath": "pathlib.Path",
    "socket.SocketType": "socket.socket",
    "asyncpg.connection.Connection": "asyncpg.Connection",
    "asyncpg.pool.Pool": "asyncpg.Pool",
    "fastapi.Request": "starlette.requests.Request",
    "fastapi.requests.Request": "starlette.requests.Request",
    "fastapi.WebSocket": "starlette.websockets.WebSocket",
    "fastapi.websockets.WebSocket": "starlette.websockets.WebSocket",
    "fastapi.UploadFile": "starlette.datastructures.UploadFile",
    "fastapi.datastructures.UploadFile": "starlette.datastructures.UploadFile",
    "fastapi.BackgroundTasks": "starlette.background.BackgroundTasks",
    "fastapi.background.BackgroundTasks": "starlette.background.BackgroundTasks",
    "asyncio.events.AbstractEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.BaseEventLoop": "asyncio.AbstractEventLoop",
}

# Callables that run their argument off the event loop: name → position of that argument.
# `*.name` matches a method called `name` on any object.
ESCAPE_HATCHES: dict[str, int] = {
    "starlette.concurrency.run_in_threadpool": 0,
    "fastapi.concurrency.run_in_threadpool": 0,
    "asyncio.to_thread": 0,
    "anyio.to_thread.run_sync": 0,
    "trio.to_thread.run_sync": 0,
    "asyncer.asyncify": 0,
    "asyncio.AbstractEventLoop.run_in_executor": 1,
    "*.run_in_executor": 1,
    "concurrent.futures.Executor.submit": 0,
    "starlette.background.BackgroundTasks.add_task": 0,
    "starlette.background.BackgroundTask": 0,
}

# Callers that call the function they are given right here, or later on the event loop:
# name (`*.name`: a method of anything) → positions (or keywords) of that function.
RUNS_GIVEN_FUNCTION: dict[str, tuple[int | str, ...]] = {
    "map": (0,),
    "filter": (0,),
    "sorted": ("key",),
    "min": ("key",),
    "max": ("key",),
    "functools.reduce": (0,),
    "*.sort": ("key",),
    "*.call_soon": (0,),
    "*.call_soon_threadsafe": (0,),
    "*.call_later": (1,),
    "*.call_at": (1,),
    "*.add_done_callback": (0,),
}

# Calls that return a lazy iterator: they block where it is iterated, not where it is made.
LAZY_CALLS: frozenset[str] = frozenset(
    (*methods("pathlib.Path", "iterdir glob rglob"), "os.walk", "glob.iglob")
)

# Builtins that consume an iterator they are given: a sync generator passed to one runs here.
ITERATOR_CONSUMERS: frozenset[str] = frozenset(
    ("list", "tuple", "set", "frozenset", "dict", "sorted", "sum", "min", "max", "any", "all")
)

# Decorators that keep an `async def` a coroutine function (others may wrap it in anything).
COROUTINE_PRESERVING_DECORATORS: frozenset[str] = frozenset(
    (
        "staticmethod",
        "classmethod",
        "abc.abstractmethod",
        "typing.override",
        "typing_extensions.override",
    )
)

# Decorators that turn a generator function into a function whose call runs the body.
CONTEXT_MANAGER_DECORATORS: frozenset[str] = frozenset(
    ("contextlib.contextmanager", "contextlib.asynccontextmanager")
)

# Signs that a call does not wait: inside `try: ... except BlockingIOError` (a non-blocking
# socket), given `os.WNOHANG`, or given one of these keyword values.
NONBLOCKING_EXCEPTIONS: frozenset[str] = frozenset(
    ("BlockingIOError", "SSLWantReadError", "SSLWantWriteError")
)
NONBLOCKING_ARGUMENTS: frozenset[str] = frozenset(("WNOHANG",))
NONBLOCKING_KEYWORDS: dict[str, object] = {
    "block": False,
    "blocking": False,
    "wait": False,
    "timeout": 0,
}
