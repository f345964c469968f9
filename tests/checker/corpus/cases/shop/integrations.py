"""Every other kind of blocking client, called straight from async code."""

import getpass
import http.client
import io
import os
import shutil
import smtplib
import socket
import threading
import urllib.request
from pathlib import Path

import boto3
import MySQLdb
import psycopg
import pymongo
import pymysql
import redis
import urllib3


async def network() -> None:
    urllib.request.urlopen("https://example.com")  # expect: BLK102
    pool = urllib3.PoolManager()
    pool.request("GET", "https://example.com")  # expect: BLK103
    conn = http.client.HTTPSConnection("example.com")
    conn.request("GET", "/")  # expect: BLK104
    conn.getresponse()  # expect: BLK104
    s3 = boto3.client("s3")
    s3.get_object(Bucket="b", Key="k")  # expect: BLK106
    s3.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"})
    with smtplib.SMTP("localhost") as smtp:  # expect: BLK107
        smtp.send_message(None)  # expect: BLK107


async def databases() -> None:
    with psycopg.connect("dbname=shop") as pg:  # expect: BLK203
        pg.execute("select 1")  # expect: BLK203
    mysql = pymysql.connect(host="localhost")  # expect: BLK205
    mysql.cursor().execute("select 1")  # expect: BLK205
    legacy = MySQLdb.connect(host="localhost")  # expect: BLK205
    legacy.commit()  # expect: BLK205
    mongo = pymongo.MongoClient()
    mongo.shop.orders.find_one({"id": 1})  # expect: BLK207
    mongo["shop"]["orders"].insert_one({"id": 2})  # expect: BLK207
    client = redis.Redis()
    client.set("key", "value")  # expect: BLK206
    pipe = client.pipeline()
    pipe.incr("hits")
    pipe.execute()  # expect: BLK206


async def files(upload: Path) -> None:
    with open("data.csv") as handle:  # expect: BLK301
        handle.read()
    io.open("data.csv").close()  # expect: BLK301
    descriptor = os.open("data.csv", os.O_RDONLY)  # expect: BLK301
    os.read(descriptor, 100)  # expect: BLK302
    Path("data.csv").read_text()  # expect: BLK303
    upload.write_bytes(b"")  # expect: BLK303
    (Path("/tmp") / "out.txt").write_text("x")  # expect: BLK303
    Path(__file__).parent.joinpath("x").open()  # expect: BLK303
    shutil.copyfile("a", "b")  # expect: BLK304
    if os.path.exists("cache"):  # expect: BLK305
        os.listdir("cache")  # expect: BLK305
    upload.parent.mkdir(parents=True, exist_ok=True)  # expect: BLK305
    for child in upload.parent.iterdir():  # expect: BLK305
        del child
    pending = Path("cache").glob("*.tmp")
    sorted(Path("cache").rglob("*.py"))  # expect: BLK305
    del pending


async def processes() -> None:
    os.system("ls")  # expect: BLK502
    os.popen("ls").read()  # expect: BLK502
    os.waitpid(-1, 0)  # expect: BLK503


async def sockets(host: str) -> None:
    sock = socket.create_connection((host, 80))  # expect: BLK601
    sock.sendall(b"ping")  # expect: BLK601
    raw = socket.socket()
    raw.connect((host, 80))  # expect: BLK601
    socket.gethostbyname(host)  # expect: BLK602
    socket.getaddrinfo(host, 80)  # expect: BLK602


async def console_and_threads(worker: threading.Thread) -> None:
    input("name? ")  # expect: BLK701
    getpass.getpass()  # expect: BLK701
    done = threading.Event()
    done.wait()  # expect: BLK702
    worker.join()  # expect: BLK702
