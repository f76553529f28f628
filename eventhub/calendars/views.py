from flask import Blueprint

bp = Blueprint("calendars", __name__)
