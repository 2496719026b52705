/*
 * Pinyin of every character the registry seed's name lists can draw (mock/src/registry/seed.ts), for the
 * Latin name travel documents print (`OUYANG, YUHAN`). Surname readings where a character has several
 * (曾 ZENG, 朴 PIAO, 覃 QIN, 单 is not drawn). A name with a character missing here fails the seed test.
 */
const PINYIN: Readonly<Record<string, string>> = Object.fromEntries(
  (
    '丁DING 万WAN 上SHANG 不BU 东DONG 严YAN 丹DAN 丽LI 义YI 乌WU 买MAI 于YU 云YUN 仁REN 付FU 令LING 任REN ' +
    '伟WEI 何HE 余YU 佟TONG 佳JIA 依YI 侯HOU 俊JUN 倩QIAN 健JIAN 儿ER 克KE 兰LAN 关GUAN 其QI 冉RAN 军JUN ' +
    '农NONG 冯FENG 凯KAI 列LIE 刘LIU 刚GANG 别BIE 力LI 努NU 勇YONG 华HUA 卓ZHUO 博BO 卜BU 卡KA 卢LU 参CAN ' +
    '古GU 叫JIAO 史SHI 叶YE 司SI 合HE 吉JI 吐TU 向XIANG 吕LYU 吴WU 吾WU 周ZHOU 和HE 哈HA 唐TANG 回HUI ' +
    '国GUO 图TU 土TU 坚JIAN 增ZENG 壮ZHUANG 夏XIA 多DUO 央YANG 姆MU 姚YAO 姜JIANG 娃WA 娜NA 娟JUAN 婷TING ' +
    '子ZI 孔KONG 孙SUN 孟MENG 宁NING 宇YU 宋SONG 宗ZONG 官GUAN 宝BAO 家JIA 容RONG 尔ER 尹YIN 尼NI 岩YAN ' +
    '崔CUI 巴BA 布BU 帅SHUAI 帆FAN 帕PA 平PING 应YING 廖LIAO 建JIAN 张ZHANG 强QIANG 彝YI 彭PENG 徐XU ' +
    '德DE 志ZHI 思SI 怡YI 悦YUE 慕MU 慧HUI 戴DAI 扎ZHA 拉LA 措CUO 提TI 敏MIN 敦DUN 文WEN 斌BIN 斯SI ' +
    '方FANG 旭XU 旺WANG 明MING 晓XIAO 晨CHEN 曲QU 曹CAO 曼MAN 曾ZENG 朗LANG 朝CHAO 木MU 朱ZHU 朴PIAO ' +
    '李LI 杜DU 杨YANG 杰JIE 林LIN 格GE 桂GUI 桑SANG 梁LIANG 梅MEI 梦MENG 次CI 欢HUAN 欣XIN 欧OU 武WU ' +
    '段DUAN 毛MAO 江JIANG 汤TANG 汪WANG 沈SHEN 沙SHA 波BO 洁JIE 洛LUO 洪HONG 浩HAO 海HAI 涛TAO 涵HAN ' +
    '淑SHU 温WEN 满MAN 潘PAN 热RE 然RAN 熊XIONG 特TE 狐HU 玉YU 王WANG 玛MA 玲LING 珍ZHEN 珠ZHU 琳LIN ' +
    '琴QIN 瑶YAO 璐LU 甫FU 田TIAN 畲SHE 白BAI 皇HUANG 盘PAN 石SHI 磊LEI 祖ZU 秀XIU 秦QIN 程CHENG 穆MU ' +
    '米MI 素SU 索SUO 红HONG 纳NA 罕HAN 罗LUO 肖XIAO 肯KEN 胡HU 艳YAN 艾AI 芳FANG 苏SU 英YING 范FAN ' +
    '莫MO 萍PING 萨SA 葛GE 董DONG 蒋JIANG 蓝LAN 蔡CAI 薛XUE 袁YUAN 西XI 覃QIN 许XU 诗SHI 诸ZHU 谢XIE ' +
    '谭TAN 贺HE 贾JIA 赵ZHAO 超CHAO 轩XUAN 辉HUI 达DA 远YUAN 迪DI 逊XUN 邓DENG 那NA 邱QIU 邵SHAO 邹ZOU ' +
    '郑ZHENG 郝HAO 郭GUO 都DU 金JIN 鑫XIN 钟ZHONG 钱QIAN 门MEN 闫YAN 阳YANG 阿A 陆LU 陈CHEN 陶TAO ' +
    '雅YA 雨YU 雪XUE 雷LEI 霞XIA 静JING 韦WEI 韩HAN 音YIN 顺SHUN 顾GU 顿DUN 颖YING 额E 飞FEI 香XIANG ' +
    '马MA 高GAO 魏WEI 鲁LU 鲜XIAN 鹏PENG 麦MAI 黄HUANG 黎LI 龙LONG 龚GONG'
  )
    .split(' ')
    .map((entry) => [entry[0]!, entry.slice(1)]),
);

/** The compound surnames the registry seed draws. */
export const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '慕容', '皇甫', '令狐', '东方'];
/** Peoples whose names have no surname: the Latin name splits the name where a passport office would. */
const WITHOUT_SURNAME = new Set(['藏', '蒙古', '傣']);

function spell(chinese: string): string {
  return [...chinese]
    .map((c) => {
      const p = PINYIN[c];
      if (!p) throw new Error(`licence seed: no pinyin for ${c}`);
      return p;
    })
    .join('');
}

/**
 * The Latin name of a seeded resident as travel documents print it, `SURNAME, GIVEN`: a name with `·` has
 * the father's name(s) as surname; a Tibetan, Mongolian or Dai name is split after its first part.
 *
 * @example latinName('欧阳雨涵', '汉') // 'OUYANG, YUHAN'
 */
export function latinName(name: string, ethnicity: string): string {
  if (name.includes('·')) {
    const [given, ...father] = name.split('·');
    return `${father.map(spell).join(' ')}, ${spell(given!)}`;
  }
  const chars = [...name];
  let split: number;
  if (WITHOUT_SURNAME.has(ethnicity)) split = chars.length >= 4 ? 2 : 1;
  else split = COMPOUND_SURNAMES.some((s) => name.startsWith(s)) && chars.length > 2 ? 2 : 1;
  return `${spell(chars.slice(0, split).join(''))}, ${spell(chars.slice(split).join(''))}`;
}

/** Characters the licence seed draws for invented relatives (spouses, heads of household). */
export const RELATIVE_GIVEN = {
  M: [...'伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志文博思远子轩'],
  F: [...'芳娜敏静丽艳娟霞秀英玲桂兰萍红梅琳雪婷颖倩洁璐佳怡欣悦瑶涵诗雨梦晨淑珍慧'],
};
export const RELATIVE_SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘',
];
