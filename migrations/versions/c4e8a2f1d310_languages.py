"""languages: saved language choices, the event's default language, Chinese content and economy names

Revision ID: c4e8a2f1d310
Revises: b7c3d1e5f902
Create Date: 2026-12-03 12:40:00

People (accounts, and registrations of delegates without one) may save the language of their pages
and e-mails; an event names the language for readers whose browser asks for none EventHub offers.
Events, sessions, rooms and site-visit hosts may carry Chinese text beside the English. Economies get
their official Chinese names (filled in for the reference economies; admins edit them).
"""
import sqlalchemy as sa
from alembic import op

revision = 'c4e8a2f1d310'
down_revision = 'b7c3d1e5f902'
branch_labels = None
depends_on = None

CHINESE_NAMES = {
    "AUS": "澳大利亚", "BD": "文莱达鲁萨兰国", "CDA": "加拿大", "CHL": "智利", "PRC": "中华人民共和国",
    "HKC": "中国香港", "INA": "印度尼西亚", "JPN": "日本", "ROK": "大韩民国", "MAS": "马来西亚", "MEX": "墨西哥",
    "NZ": "新西兰", "PNG": "巴布亚新几内亚", "PE": "秘鲁", "PHL": "菲律宾", "RUS": "俄罗斯", "SGP": "新加坡",
    "CT": "中国台北", "THA": "泰国", "USA": "美国", "VN": "越南", "MAC": "中国澳门", "KHM": "柬埔寨", "LAO": "老挝",
    "ASEAN": "东盟秘书处", "PECC": "太平洋经济合作理事会", "PIF": "太平洋岛国论坛秘书处",
}



def upgrade():
    # Plain ADD COLUMN (SQLite has it): batch mode would copy and drop `economies`, which every
    # delegation and registration references.
    for table, column in (
        ('users', sa.Column('language', sa.String(length=16), nullable=True)),
        ('registrations', sa.Column('language', sa.String(length=16), nullable=True)),
        ('events', sa.Column('title_zh', sa.String(length=300), server_default='', nullable=False)),
        ('events', sa.Column('description_zh', sa.Text(), server_default='', nullable=False)),
        ('events', sa.Column('default_language', sa.String(length=16), server_default='en', nullable=False)),
        ('sessions', sa.Column('title_zh', sa.String(length=300), server_default='', nullable=False)),
        ('sessions', sa.Column('description_zh', sa.Text(), server_default='', nullable=False)),
        ('rooms', sa.Column('name_zh', sa.String(length=200), server_default='', nullable=False)),
        ('site_visits', sa.Column('host_name_zh', sa.String(length=300), server_default='', nullable=False)),
        ('economies', sa.Column('name_zh', sa.String(length=120), server_default='', nullable=False)),
    ):
        op.add_column(table, column)
    economies = sa.table('economies', sa.column('code', sa.String), sa.column('name_zh', sa.String))
    for code, name in CHINESE_NAMES.items():
        op.execute(economies.update().where(economies.c.code == code).values(name_zh=name))


def downgrade():
    for table, columns in (('economies', ['name_zh']), ('site_visits', ['host_name_zh']), ('rooms', ['name_zh']),
                           ('sessions', ['description_zh', 'title_zh']),
                           ('events', ['default_language', 'description_zh', 'title_zh']),
                           ('registrations', ['language']), ('users', ['language'])):
        for column in columns:
            op.drop_column(table, column)
