"""Module-level clients, imported by the rest of the shop."""

import redis
import requests
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import sessionmaker

http = requests.Session()
cache = redis.Redis.from_url("redis://localhost:6379/0")
engine = create_engine("postgresql+psycopg://localhost/shop")
SessionLocal = sessionmaker(bind=engine)

async_engine = create_async_engine("postgresql+asyncpg://localhost/shop")
AsyncSessionLocal = async_sessionmaker(async_engine, expire_on_commit=False)
LegacyAsyncSession = sessionmaker(async_engine, class_=AsyncSession)
