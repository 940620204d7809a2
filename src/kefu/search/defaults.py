"""The word lists kefu ships: the thesaurus, a domain dictionary per industry, and the surname readings.

The information desk edits the thesaurus and the dictionaries on the search vocabulary page; until a list is edited
these are in force. Each entry is one line: a thesaurus line is a group of words meaning the same thing, the first
the usual one; a dictionary line is one word of the trade.
"""

INDUSTRIES = ["general", "gas", "broadband", "telecom", "shop", "game", "property"]

THESAURUS = """
快递 包裹 运单 快件 物流
死机 卡死 无响应 卡住 定屏
退费 退钱 退款 返还
话费 余额 资费
预约 约时间 上门时间
闪退 崩溃 crash crashed 启动失败
启动 launch 打开
黑屏 不显示 没画面
没声音 无声 静音 听不到声音
充值 储值 top-up
钻石 diamonds
到账 入账
发票 收据 票据
抬头 开票名称
断网 网断了 上不了网 连不上网 掉线
网速慢 网卡 网络慢 卡顿
宽带 光纤 网络
光猫 调制解调器 modem
路由器 wifi 无线
燃气味 煤气味 气味 异味
漏气 泄漏 漏了
燃气 煤气 天然气
燃气表 气表 煤气表
停气 没气 断气
热水器 燃气热水器
壁挂炉 采暖炉
物业费 管理费
保修 报修 维修 修理
电梯 升降梯
漏水 渗水 滴水
停水 没水 断水
停电 没电 断电
投诉 举报 反映
态度差 态度不好 不耐烦 敷衍
退货 退回
换货 调换
差评 中差评
账号被盗 盗号 被盗 hacked hack stolen
密码 password
充电 charge charging 充不进电
没收到 未到账 not received
封号 封禁 冻结
验证码 短信码
套餐 资费套餐
携号转网 转网
信号差 没信号 信号弱
流量 数据
账单 对账单 费用清单
扣费 扣钱 扣款
取消 撤销
客服 人工
""".strip()

DOMAIN = {
    "general": """
投诉 回访 工单 上门 维修 退款 账单 发票 收据 地址 电话
""",
    "gas": """
燃气 天然气 煤气 液化气 供气 停气 通气 复气 点火 燃气表 气表 IC卡 气费 气价 阶梯气价 燃气灶 灶具 热水器 壁挂炉
燃气味 漏气 泄漏 报警器 阀门 调压阀 球阀 自闭阀 减压阀 胶管 波纹管 管道 立管 抄表 估抄 自报读数 过户 开户 销户
置换 安检 入户安检 私接 绕表 挖断 抢修 管网 气压 气量 燃气公司 燃气卡
""",
    "broadband": """
宽带 光纤 光猫 路由器 机顶盒 网速 测速 断网 掉线 拨号 账号密码 装机 移机 拆机 续费 包年 提速 光衰 分光器 网线
wifi 无线 信号 IPTV 报装 千兆 百兆
""",
    "telecom": """
话费 余额 流量 套餐 月租 手机卡 携号转网 实名 补卡 销号 停机 复机 欠费 信号 基站 来电显示 彩铃 国际漫游 漫游 副卡
宽带融合 积分 充值 短信 通话 5G 4G 靓号 SIM卡
""",
    "shop": """
快递 包裹 运单 物流 签收 拒收 退货 退款 换货 七天无理由 价保 优惠券 赠品 发票 售后 保修 订单 下单 发货 缺货 少件
破损 差评 中差评 运费 以旧换新 蓝牙耳机 耳机 充电器 扫地机器人 手机壳 iPad
""",
    "game": """
充值 到账 闪退 黑屏 白屏 卡顿 掉线 回档 外挂 封号 误封 解封 账号被盗 换绑 实名认证 防沉迷 礼包 兑换码 道具 装备
副本 主线任务 服务器 区服 跨服 组队 公会 皮肤 抽卡 首充 月卡
""",
    "property": """
物业 物业费 管理费 停车费 车位 电梯 门禁 业主 门禁卡 业委会 保洁 垃圾 绿化 保安 漏水 渗水 停水 停电 维修基金 装修 噪音
楼道 消防 监控 快递柜 水费 电费 公摊 报修 管家
""",
}

# Surnames read otherwise than their common reading, and those with two readings: every reading listed is indexed.
SURNAMES = {
    "仇": ["qiu", "chou"], "解": ["xie", "jie"], "区": ["ou", "qu"], "查": ["zha", "cha"], "朴": ["piao", "pu"],
    "盖": ["ge", "gai"], "乐": ["yue", "le"], "单": ["shan", "dan"], "曾": ["zeng", "ceng"], "华": ["hua"],
    "覃": ["qin", "tan"], "尉": ["yu", "wei"], "缪": ["miao", "mou"], "员": ["yun", "yuan"], "秘": ["bi", "mi"],
    "繁": ["po", "fan"], "谌": ["chen", "shen"], "召": ["shao", "zhao"], "万俟": ["moqi"], "尉迟": ["yuchi"],
    "长孙": ["zhangsun"], "澹台": ["tantai"], "种": ["chong", "zhong"], "折": ["she", "zhe"], "翟": ["zhai", "di"],
    "沈": ["shen"], "柏": ["bai", "bo"], "蕃": ["pi", "fan"], "牟": ["mou", "mu"], "宓": ["mi", "fu"],
    "过": ["guo"], "句": ["gou", "ju"], "阚": ["kan"], "洗": ["xian", "xi"], "冼": ["xian"], "藏": ["zang"],
    "眭": ["sui"], "紫": ["zi"], "黑": ["he", "hei"], "隗": ["wei", "kui"], "重": ["chong", "zhong"],
    "莘": ["shen", "xin"], "钟离": ["zhongli"],
}

COMPOUND_SURNAMES = [
    "欧阳", "司马", "诸葛", "上官", "慕容", "东方", "皇甫", "尉迟", "公孙", "长孙", "宇文", "司徒", "夏侯", "令狐",
    "万俟",
    "澹台", "轩辕", "独孤", "南宫", "西门", "端木", "钟离", "呼延", "百里", "闻人", "申屠", "太史", "公冶",
]


def lines(text: str) -> list[str]:
    """The entries of a list as typed: one per line, blank lines and # comments dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip() and not line.strip().startswith("#")]


def default_text(kind: str, industry: str = "") -> str:
    """The shipped list of `kind` ("thesaurus", or "domain" with an industry), one entry per line."""
    if kind == "thesaurus":
        return THESAURUS
    return "\n".join((DOMAIN.get(industry) or "").split())
