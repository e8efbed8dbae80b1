"""Static catalogues for demo data: merchants, names, departments, institutions.

Bills store a merchant as its index in :data:`MERCHANTS`, so this list is append-only: never
reorder or remove entries, or existing sandbox databases would show the wrong merchant.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEPARTMENTS",
    "ENTERPRISES",
    "GIVEN_NAMES",
    "INSTITUTIONS",
    "KINDS",
    "MEMOS",
    "MERCHANTS",
    "MOBILE_PREFIXES",
    "SURNAMES",
    "DemoInstitution",
    "Kind",
    "Merchant",
    "merchant_id",
    "shop_id",
]


@dataclass(frozen=True)
class Kind:
    consume_category: str  # EcConsumeInfo.consume_category (cater/trip/hotel/purchase/…)
    category_name: str
    title: str  # consume_title: what the merchant wrote on the order
    tax_rate_pct: int  # VAT rate printed on the invoice
    weight: int  # share of all spending
    hours: tuple[tuple[int, int], ...]  # (hour, weight): when people spend on this


KINDS: dict[str, Kind] = {
    "meal": Kind(
        "cater",
        "餐饮",
        "餐饮消费",
        6,
        55,
        ((8, 4), (11, 30), (12, 40), (13, 10), (17, 4), (18, 14), (19, 10), (20, 5), (21, 3)),
    ),
    "taxi": Kind(
        "trip",
        "出行",
        "打车费",
        3,
        22,
        (
            (8, 10),
            (9, 12),
            (10, 4),
            (14, 4),
            (17, 6),
            (18, 8),
            (19, 6),
            (21, 10),
            (22, 12),
            (23, 8),
            (0, 4),
        ),
    ),
    "travel": Kind(
        "trip", "出行", "交通票费", 9, 5, tuple((h, 2 if 8 <= h <= 18 else 1) for h in range(6, 22))
    ),
    "hotel": Kind(
        "hotel", "酒店", "住宿费", 6, 5, tuple((h, 3 if h >= 18 else 1) for h in range(13, 24))
    ),
    "purchase": Kind("purchase", "采购", "办公用品", 13, 9, tuple((h, 1) for h in range(9, 19))),
    "entertain": Kind("cater", "餐饮", "商务宴请", 6, 4, ((12, 2), (18, 4), (19, 5), (20, 3))),
}


@dataclass(frozen=True)
class Merchant:
    name: str
    kind: str
    company: str  # seller on the invoice; opposite_full_name on the bill
    lo_fen: int
    hi_fen: int
    step_fen: int
    summary: bool = False  # invoices this merchant's enterprise-paid bills in monthly summaries
    scene_code: str = "OTHER"  # TAKE_AWAY / METRO / OTHER
    mcc: str = "5812"


MERCHANTS: tuple[Merchant, ...] = (
    Merchant("公司食堂（一楼）", "meal", "北京禾丰餐饮管理有限公司", 1200, 2500, 50, True),
    Merchant("老乡鸡（中关村店）", "meal", "老乡鸡餐饮有限公司", 1800, 4500, 50, True),
    Merchant("真功夫（望京店）", "meal", "真功夫餐饮管理有限公司", 2200, 4800, 50, True),
    Merchant("西贝莜面村（国贸店）", "meal", "西贝餐饮集团有限公司", 6000, 16000, 100),
    Merchant("麦当劳（西单店）", "meal", "北京麦当劳食品有限公司", 2500, 6000, 50),
    Merchant("肯德基（五道口店）", "meal", "北京肯德基有限公司", 2500, 6000, 50),
    Merchant("永和大王（科技园店）", "meal", "永和大王餐饮管理有限公司", 1800, 3800, 50, True),
    Merchant("吉野家（中关村店）", "meal", "北京吉野家快餐有限公司", 2200, 4200, 50),
    Merchant("和府捞面（来福士店）", "meal", "上海和府餐饮管理股份有限公司", 3200, 6800, 100),
    Merchant("南城香（知春路店）", "meal", "北京南城香餐饮有限公司", 1800, 4000, 50, True),
    Merchant("庆丰包子铺（月坛店）", "meal", "北京庆丰包子铺", 1200, 3000, 50),
    Merchant(
        "瑞幸咖啡（创业大街店）", "meal", "瑞幸咖啡（北京）有限公司", 900, 3200, 10, mcc="5814"
    ),
    Merchant(
        "星巴克（中关村店）", "meal", "星巴克企业管理（中国）有限公司", 2800, 6500, 100, mcc="5814"
    ),
    Merchant(
        "美团外卖", "meal", "北京三快在线科技有限公司", 2000, 7500, 10, True, "TAKE_AWAY", "5814"
    ),
    Merchant(
        "饿了么", "meal", "上海拉扎斯信息科技有限公司", 2000, 7500, 10, True, "TAKE_AWAY", "5814"
    ),
    Merchant("滴滴出行", "taxi", "北京小桔科技有限公司", 1200, 9800, 1, mcc="4121"),
    Merchant("高德打车", "taxi", "高德软件有限公司", 1200, 9000, 1, mcc="4121"),
    Merchant("曹操出行", "taxi", "浙江吉利控股集团曹操出行有限公司", 1500, 9500, 1, mcc="4121"),
    Merchant("首汽约车", "taxi", "首约科技（北京）有限公司", 1800, 12000, 1, mcc="4121"),
    Merchant("北京地铁", "taxi", "北京市地铁运营有限公司", 300, 900, 100, False, "METRO", "4111"),
    Merchant("上海地铁", "taxi", "上海申通地铁集团有限公司", 300, 900, 100, False, "METRO", "4111"),
    Merchant("中国国际航空", "travel", "中国国际航空股份有限公司", 45000, 180000, 100, mcc="4511"),
    Merchant("东方航空", "travel", "中国东方航空股份有限公司", 42000, 160000, 100, mcc="4511"),
    Merchant("南方航空", "travel", "中国南方航空股份有限公司", 40000, 170000, 100, mcc="4511"),
    Merchant("铁路12306", "travel", "中国铁路网络有限公司", 5500, 60000, 50, mcc="4112"),
    Merchant("携程旅行", "travel", "上海携程商务有限公司", 8000, 90000, 100, mcc="4722"),
    Merchant(
        "全季酒店（陆家嘴店）", "hotel", "上海全季酒店管理有限公司", 32000, 68000, 100, mcc="7011"
    ),
    Merchant(
        "汉庭酒店（天河店）",
        "hotel",
        "汉庭星空（上海）酒店管理有限公司",
        22000,
        42000,
        100,
        mcc="7011",
    ),
    Merchant(
        "亚朵酒店（西湖店）",
        "hotel",
        "上海亚朵商业管理（集团）有限公司",
        42000,
        98000,
        100,
        mcc="7011",
    ),
    Merchant(
        "如家酒店（春熙路店）",
        "hotel",
        "如家酒店连锁（中国）有限公司",
        20000,
        38000,
        100,
        mcc="7011",
    ),
    Merchant(
        "维也纳酒店（福田店）", "hotel", "深圳维也纳酒店有限公司", 28000, 52000, 100, mcc="7011"
    ),
    Merchant(
        "京东企业购", "purchase", "北京京东世纪贸易有限公司", 900, 150000, 10, True, mcc="5111"
    ),
    Merchant("得力文具旗舰店", "purchase", "得力集团有限公司", 500, 30000, 10, True, mcc="5111"),
    Merchant(
        "晨光办公", "purchase", "上海晨光科力普办公用品有限公司", 500, 40000, 10, True, mcc="5111"
    ),
    Merchant("天猫超市", "purchase", "浙江天猫供应链管理有限公司", 1500, 60000, 10, mcc="5411"),
    Merchant("苏宁易购", "purchase", "苏宁易购集团股份有限公司", 5000, 800000, 100, mcc="5732"),
    Merchant(
        "海底捞火锅（三里屯店）", "entertain", "四川海底捞餐饮股份有限公司", 40000, 300000, 100
    ),
    Merchant("外婆家（西溪店）", "entertain", "杭州外婆家餐饮有限公司", 30000, 150000, 100),
    Merchant("小南国（静安店）", "entertain", "上海小南国餐饮管理有限公司", 60000, 400000, 100),
    Merchant("全聚德（前门店）", "entertain", "中国全聚德（集团）股份有限公司", 50000, 350000, 100),
)


def merchant_id(index: int) -> str:
    return f"2088{410000000000 + (index + 1) * 7919:012d}"


def shop_id(index: int) -> str:
    return f"2019{300000000000 + (index + 1) * 3571:012d}"


# (name, alias, mail domain)
ENTERPRISES: tuple[tuple[str, str, str], ...] = (
    ("杭州恒远信息科技有限公司", "恒远科技", "hengyuan-tech.com"),
    ("北京云帆数据服务有限公司", "云帆数据", "yunfan-data.cn"),
    ("上海启明星网络科技有限公司", "启明星网络", "qimingxing.net"),
    ("深圳华拓智能设备有限公司", "华拓智能", "huatuo-smart.com"),
    ("成都锦程商贸有限公司", "锦程商贸", "jincheng-trade.cn"),
)

# (key, name, parent key or None for the root, spending weight for employee placement)
DEPARTMENTS: tuple[tuple[str, str, str | None, int], ...] = (
    ("root", "", None, 0),
    ("ceo", "总经办", "root", 3),
    ("fin", "财务部", "root", 2),
    ("hr", "人力资源部", "root", 4),
    ("rd", "技术研发中心", "root", 2),
    ("mkt", "市场营销中心", "root", 2),
    ("sales", "销售中心", "root", 2),
    ("ops", "运营中心", "root", 2),
    ("admin", "行政部", "root", 4),
    ("legal", "法务部", "root", 2),
    ("fe", "前端开发部", "rd", 8),
    ("be", "后端开发部", "rd", 10),
    ("qa", "测试部", "rd", 6),
    ("sre", "运维部", "rd", 5),
    ("data", "数据平台部", "rd", 3),
    ("dw", "数据仓库组", "data", 4),
    ("algo", "算法组", "data", 4),
    ("north", "华北大区", "sales", 3),
    ("east", "华东大区", "sales", 3),
    ("south", "华南大区", "sales", 6),
    ("west", "西南大区", "sales", 5),
    ("bj", "北京办事处", "north", 5),
    ("tj", "天津办事处", "north", 3),
    ("sh", "上海办事处", "east", 6),
    ("hz", "杭州办事处", "east", 5),
    ("nj", "南京办事处", "east", 3),
    ("brand", "品牌部", "mkt", 4),
    ("promo", "市场推广部", "mkt", 5),
    ("acct", "会计核算组", "fin", 3),
    ("treasury", "资金管理组", "fin", 2),
    ("tax", "税务组", "fin", 2),
    ("cs", "客户服务部", "ops", 8),
    ("scm", "供应链管理部", "ops", 4),
)


@dataclass(frozen=True)
class DemoInstitution:
    key: str
    name: str
    desc: str
    expense_type: str
    scene_type: str
    monthly_fen: int  # each member's monthly quota
    # (standard name, [(rule_factor, rule_value)], first hour, last hour) — hours route meal bills
    standards: tuple[tuple[str, tuple[tuple[str, str], ...], int, int], ...]
    # department keys whose members (and sub-departments) belong; "*" = most employees
    departments: tuple[str, ...]


INSTITUTIONS: tuple[DemoInstitution, ...] = (
    DemoInstitution(
        "meal",
        "工作餐补贴制度",
        "工作日午餐及加班晚餐补贴，按月发放",
        "MEAL",
        "SUBSIDY",
        100000,
        (
            (
                "工作日午餐",
                (("QUOTA_DAY", "50.00"), ("ALARM_CLOCK_TIME", "10:30-14:00"), ("MCC", "5812,5814")),
                10,
                15,
            ),
            ("加班晚餐", (("QUOTA_DAY", "40.00"), ("ALARM_CLOCK_TIME", "17:30-22:00")), 16, 23),
        ),
        ("*",),
    ),
    DemoInstitution(
        "taxi",
        "加班打车制度",
        "晚上21点后加班回家打车，单日限额150元",
        "DEFAULT",
        "OVERTIME",
        150000,
        (
            (
                "21点后加班打车",
                (
                    ("ALARM_CLOCK_TIME", "21:00-06:00"),
                    ("QUOTA_DAY", "150.00"),
                    ("MERCHANT", "@taxi"),
                ),
                0,
                23,
            ),
        ),
        ("rd", "ops", "ceo"),
    ),
    DemoInstitution(
        "travel",
        "差旅报销制度",
        "出差期间的住宿与城际交通",
        "DEFAULT",
        "TRAVEL",
        800000,
        (
            ("差旅住宿", (("QUOTA_DAY", "600.00"), ("MCC", "7011")), 0, 23),
            ("差旅交通", (("QUOTA_MONTH", "5000.00"), ("MCC", "4511,4112,4722,4121")), 0, 23),
        ),
        ("sales", "mkt", "ceo"),
    ),
    DemoInstitution(
        "purchase",
        "办公采购制度",
        "办公用品及耗材采购，指定商户",
        "DEFAULT",
        "DEFAULT",
        200000,
        (("办公用品采购", (("QUOTA_MONTH", "2000.00"), ("MERCHANT", "@purchase")), 0, 23),),
        ("admin", "fin", "hr"),
    ),
    DemoInstitution(
        "entertain",
        "客户招待制度",
        "商务宴请与客户招待",
        "DEFAULT",
        "ENTERTAIN",
        500000,
        (("商务宴请", (("QUOTA_TOTAL", "5000.00"), ("ALARM_CLOCK_TIME", "11:00-22:00")), 0, 23),),
        ("ceo", "north", "east", "south", "west"),
    ),
)


def _pairs(chars: str, pinyin: str) -> tuple[tuple[str, str], ...]:
    return tuple(zip(chars, pinyin.split(), strict=True))


# (character, pinyin): common surnames first; the generator favours the front of the list.
SURNAMES = _pairs(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严",
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo "
    "zheng liang xie song tang xu han feng deng cao peng zeng xiao tian dong yuan pan yu "
    "jiang cai yu du ye cheng su wei lv ding ren shen yao lu jiang cui zhong tan lu wang "
    "fan jin shi liao jia xia wei fu fang bai zou meng xiong qin qiu jiang yin xue yan "
    "duan lei hou long shi tao li he gu mao hao gong shao wan qian yan",
)

GIVEN_NAMES = _pairs(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉文建国志红晨宇浩欣佳怡子涵轩博思雨梓睿嘉琪瑶"
    "婷雪鹏飞鑫斌波辉宁帆凯晓亮峰倩颖琳萌璐薇昊航泽铭然诗悦彤越一天金海龙云春丹阳",
    "wei fang na min jing li qiang lei jun yang yong yan jie juan tao ming chao xiu xia "
    "ping gang gui ying hua yu wen jian guo zhi hong chen yu hao xin jia yi zi han xuan "
    "bo si yu zi rui jia qi yao ting xue peng fei xin bin bo hui ning fan kai xiao liang "
    "feng qian ying lin meng lu wei hao hang ze ming ran shi yue tong yue yi tian jin hai "
    "long yun chun dan yang",
)

MOBILE_PREFIXES: tuple[str, ...] = (
    "138", "139", "136", "137", "135", "150", "151", "152", "158", "159", "186", "187",
    "188", "133", "153", "180", "189", "177", "199", "181", "131", "132", "155", "156",
)  # fmt: skip

MEMOS: tuple[str, ...] = (
    "加班餐",
    "客户拜访",
    "项目出差",
    "部门团建",
    "培训期间用餐",
    "季度复盘会",
    "展会差旅",
    "采购办公耗材",
    "接待来访客户",
)
