export default definePageConfig({ navigationBarTitleText: '电子证照夹', enablePullDownRefresh: true });
