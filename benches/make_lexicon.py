#!/usr/bin/env python3
"""Writes the 10,000-entry lexicon that README "Speed" measures the lexicon pass with:
5,000 never-entries for made-up projects, 4,900 always-entries for made-up official names
(three characters, as names are), ten county names and ten project words that occur in
the corpus. Usage: python3 benches/make_lexicon.py > /tmp/lexicon10k.tsv"""
import random

random.seed(7)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕红梅玉兰"
COUNTIES = ["清徐县", "阳曲县", "古交市", "晋源区", "小店区", "迎泽区", "娄烦县", "尖草坪区", "万柏林区", "杏花岭区"]
PROJECTS = ["高速公路", "产业园", "新能源", "污水处理厂", "棚户区改造", "乡村振兴", "光伏电站", "物流园", "水库", "高铁站"]

rows = ["kind\ttext\taction\tdistrict\tnote"]
rows += [f"project\t{random.choice(SURNAMES)}{random.choice(GIVEN)}工程{i}\tnever\t\t" for i in range(5000)]
names = set()
while len(names) < 4900:
    names.add(random.choice(SURNAMES) + random.choice(GIVEN) + random.choice(GIVEN))
rows += [f"official\t{name}\talways\t\t" for name in sorted(names)]
rows += [f"district\t{county}\talways\t{county}\t" for county in COUNTIES]
rows += [f"project\t{word}\talways\t\t" for word in PROJECTS]
i = 0
while len(rows) - 1 < 10000:
    rows.append(f"project\t虚构项目{i}\tnever\t\t")
    i += 1
print("\n".join(rows))
