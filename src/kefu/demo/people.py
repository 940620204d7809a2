"""Names, phone numbers, addresses and ID numbers that look like a real Chinese city's, all made up."""

import random

# The hundred most common surnames with their pinyin, so e-mail handles match the person's name.
SURNAMES = ["王wang", "李li", "张zhang", "刘liu", "陈chen", "杨yang", "黄huang", "赵zhao", "吴wu", "周zhou", "徐xu",
            "孙sun", "马ma", "朱zhu", "胡hu", "郭guo", "何he", "高gao", "林lin", "罗luo", "郑zheng", "梁liang",
            "谢xie", "宋song", "唐tang", "许xu", "韩han", "冯feng", "邓deng", "曹cao", "彭peng", "曾zeng", "肖xiao",
            "田tian", "董dong", "袁yuan", "潘pan", "于yu", "蒋jiang", "蔡cai", "余yu", "杜du", "叶ye", "程cheng",
            "苏su", "魏wei", "吕lv", "丁ding", "任ren", "沈shen", "姚yao", "卢lu", "姜jiang", "崔cui", "钟zhong",
            "谭tan", "陆lu", "汪wang", "范fan", "金jin", "石shi", "廖liao", "贾jia", "夏xia", "韦wei", "付fu",
            "方fang", "白bai", "邹zou", "孟meng", "熊xiong", "秦qin", "邱qiu", "江jiang", "尹yin", "薛xue", "闫yan",
            "段duan", "雷lei", "侯hou", "龙long", "史shi", "陶tao", "黎li", "贺he", "顾gu", "毛mao", "郝hao",
            "龚gong", "邵shao", "万wan", "钱qian", "严yan", "武wu", "戴dai", "莫mo", "孔kong", "向xiang", "汤tang"]
MALE = ["伟wei", "强qiang", "磊lei", "军jun", "勇yong", "杰jie", "涛tao", "明ming", "超chao", "刚gang", "平ping",
        "辉hui", "鹏peng", "华hua", "飞fei", "鑫xin", "波bo", "斌bin", "宇yu", "浩hao", "凯kai", "健jian", "俊jun",
        "帆fan", "旭xu", "宁ning", "龙long", "阳yang", "建jian", "国guo", "志zhi", "文wen", "博bo", "睿rui", "泽ze",
        "晨chen", "子zi", "轩xuan", "峰feng", "亮liang"]
FEMALE = ["芳fang", "娜na", "敏min", "静jing", "丽li", "艳yan", "娟juan", "霞xia", "秀xiu", "英ying", "玲ling",
          "燕yan", "萍ping", "红hong", "婷ting", "雪xue", "琳lin", "慧hui", "颖ying", "倩qian", "洁jie", "琴qin",
          "云yun", "莉li", "欣xin", "悦yue", "佳jia", "怡yi", "梦meng", "雨yu", "晴qing", "嘉jia", "璐lu", "思si",
          "涵han", "薇wei", "露lu", "月yue"]

MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                   "155", "156", "157", "158", "159", "166", "173", "176", "177", "178", "180", "181", "182", "183",
                   "185", "186", "187", "188", "189", "191", "198", "199"]
MAIL_DOMAINS = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "139.com", "outlook.com"]

# The gas utility serves one city: Suzhou (area code 0512).
CITY = "苏州市"
AREA_CODE = "0512"
DISTRICTS = {
    "姑苏区": ["人民路", "干将东路", "平江路", "十全街", "三香路", "学士街", "东环路"],
    "吴中区": ["宝带西路", "东吴北路", "石湖西路", "越溪路", "苏州大道南"],
    "相城区": ["阳澄湖东路", "华元路", "相城大道", "采莲路"],
    "虎丘区": ["狮山路", "竹园路", "长江路", "玉山路", "金山路"],
    "吴江区": ["中山北路", "鲈乡南路", "仲英大道", "江兴西路"],
    "工业园区": ["金鸡湖大道", "星湖街", "现代大道", "苏州大道东", "钟园路", "星港街"],
}
REGION_CODES = {"姑苏区": "320508", "吴中区": "320506", "相城区": "320507", "虎丘区": "320505",
                "吴江区": "320509", "工业园区": "320571"}
COMMUNITIES = ["金鸡湖花园", "馨泓园", "翰林苑", "水岸清华", "幸福里", "东港新村", "桐泾新村", "玲珑湾",
               "中海半岛华府", "湖左岸", "锦华苑", "星海小区", "彩香一村", "南环新村", "绿宝广场", "天域花园",
               "万科城", "蠡口新村", "湖滨四季", "华润置地"]
# Shop and game customers live all over the country.
OTHER_CITIES = [("上海市", "浦东新区", "张杨路"), ("北京市", "朝阳区", "望京街"), ("广州市", "天河区", "体育西路"),
                ("深圳市", "南山区", "科技园南路"), ("杭州市", "西湖区", "文三路"), ("成都市", "武侯区", "天府大道"),
                ("武汉市", "洪山区", "珞喻路"), ("南京市", "鼓楼区", "中山北路"), ("西安市", "雁塔区", "小寨东路"),
                ("重庆市", "渝北区", "金开大道"), ("长沙市", "岳麓区", "麓山南路"), ("郑州市", "金水区", "花园路"),
                ("天津市", "南开区", "鞍山西道"), ("青岛市", "市南区", "香港中路"), ("合肥市", "蜀山区", "长江西路")]
AREA_CODES = {"苏州": "0512", "上海": "021", "北京": "010", "广州": "020", "深圳": "0755", "杭州": "0571",
              "成都": "028", "武汉": "027", "南京": "025", "西安": "029", "重庆": "023", "长沙": "0731",
              "郑州": "0371", "天津": "022", "青岛": "0532", "合肥": "0551"}
OTHER_REGIONS = ["310115", "110105", "440106", "440305", "330106", "510107", "420111", "320106", "610113",
                 "500112", "430104", "410105", "120104", "370202", "340104"]

ORG_WORDS = ["金鼎", "和顺", "悦来", "鸿福", "同德", "嘉禾", "瑞丰", "裕隆", "锦华", "恒通", "新元", "天成",
             "聚源", "德馨", "汇丰", "永泰"]
GAS_ORGS = ["苏州{w}餐饮管理有限公司", "苏州{w}大酒店有限公司", "{d}{w}养老服务中心", "苏州{w}物业服务有限公司",
            "苏州{w}食品有限公司", "{d}{w}实验学校", "苏州{w}洗涤服务有限公司", "苏州{w}酒店管理有限公司"]
SHOP_ORGS = ["{c}{w}科技有限公司", "{c}{w}贸易有限公司", "{c}{w}文化传媒有限公司", "{c}{w}企业管理咨询有限公司"]
GAME_ORGS = ["{w}电竞俱乐部", "{c}{w}网咖连锁", "{w}互娱工作室"]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def split(pair: str) -> tuple[str, str]:
    """'王wang' → ('王', 'wang'): the character(s) and their pinyin."""
    at = next(i for i, ch in enumerate(pair) if ch.isascii())
    return pair[:at], pair[at:]


class People:
    """A generator of people and places; the phone numbers it hands out never repeat."""

    def __init__(self, rng: random.Random):
        """Draw from `rng`; remember numbers and handles handed out so they stay unique."""
        self.rng = rng
        self.mobiles: set[str] = set()
        self.handles: set[str] = set()

    def person(self, male: bool | None = None) -> tuple[str, str, bool]:
        """A name, its pinyin and the gender: 60% two-character given names like most people born after 1970."""
        rng = self.rng
        male = rng.random() < 0.5 if male is None else male
        surname, sur_py = split(rng.choice(SURNAMES))
        pool = MALE if male else FEMALE
        given = [split(rng.choice(pool)) for _ in range(2 if rng.random() < 0.6 else 1)]
        name = surname + "".join(g[0] for g in given)
        return name, sur_py + "".join(g[1] for g in given), male

    def mobile(self) -> str:
        """A mobile number with a real carrier prefix, unique in this run."""
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def landline(self, area: str = AREA_CODE) -> str:
        """A landline written the way people write them: 0512-6xxxxxxx."""
        return f"{area}-{self.rng.choice('5678')}{self.rng.randrange(10**7):07d}"

    def email(self, pinyin: str) -> str:
        """A personal mailbox built from the pinyin of the name."""
        rng = self.rng
        while True:
            handle = pinyin + rng.choice(["", str(rng.randint(1, 99)), str(rng.randint(1960, 2005)), "_sz"])
            if handle not in self.handles:
                self.handles.add(handle)
                return f"{handle}@{rng.choice(MAIL_DOMAINS)}"

    def wechat(self, pinyin: str) -> str:
        """A WeChat id: either the generated wxid_ form or a chosen one based on the name."""
        rng = self.rng
        if rng.random() < 0.4:
            return "wxid_" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyz0123456789") for _ in range(14))
        return f"{pinyin}{rng.choice(['_', '', '-'])}{rng.randint(10, 9999)}"

    def qq(self) -> str:
        """A QQ number (5 to 12 digits, no leading zero)."""
        return str(self.rng.randint(10**6, 3 * 10**9))

    def suzhou_address(self) -> dict:
        """An address in the gas utility's city, split into the parts tickets mention."""
        rng = self.rng
        district = rng.choice(list(DISTRICTS))
        road = rng.choice(DISTRICTS[district])
        parts = {"district": district, "road": road, "community": rng.choice(COMMUNITIES),
                 "bldg": rng.randint(1, 36), "unit": rng.randint(1, 4),
                 "room": f"{rng.randint(1, 28)}{rng.randint(1, 4):02d}", "house": rng.randint(1, 999)}
        parts["addr"] = (f"{CITY}{district}{road}{parts['house']}号{parts['community']}{parts['bldg']}幢"
                         f"{parts['unit']}单元{parts['room']}室")
        return parts

    def other_address(self) -> dict:
        """A delivery address somewhere else in China."""
        rng = self.rng
        city, district, road = rng.choice(OTHER_CITIES)
        community = rng.choice(COMMUNITIES)
        room = f"{rng.randint(1, 32)}{rng.randint(1, 6):02d}"
        addr = f"{city}{district}{road}{rng.randint(1, 999)}号{community}{rng.randint(1, 20)}号楼{room}室"
        return {"district": district, "road": road, "community": community, "addr": addr, "city": city}

    def id_number(self, region: str, male: bool) -> str:
        """An 18-digit resident ID with a correct check digit and the gender digit matching the person."""
        rng = self.rng
        year, month, day = rng.randint(1950, 2003), rng.randint(1, 12), rng.randint(1, 28)
        seq = rng.randrange(0, 100) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
        body = f"{region}{year:04d}{month:02d}{day:02d}{seq:03d}"
        total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
        return body + "10X98765432"[total % 11]

    def credit_code(self, region: str) -> str:
        """A unified social credit code (统一社会信用代码) of a company, with its GB 32100 check character."""
        org = "".join(self.rng.choice(_CREDIT_CHARS) for _ in range(9))
        body = f"91{region}{org}"
        total = sum(_CREDIT_CHARS.index(ch) * w for ch, w in zip(body, _CREDIT_WEIGHTS, strict=True))
        return body + _CREDIT_CHARS[(31 - total % 31) % 31]

    def org_name(self, patterns: list[str], city: str = "苏州") -> str:
        """A company or institution name from one of the patterns."""
        rng = self.rng
        return rng.choice(patterns).format(w=rng.choice(ORG_WORDS), d=rng.choice(list(DISTRICTS)),
                                           c=city.removesuffix("市"))
