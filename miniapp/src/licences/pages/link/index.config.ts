export default definePageConfig({ navigationBarTitleText: '关联电子证照' });
